"""Reading ``imsmanifest.xml`` into the course structure an LMS needs.

The manifest is parsed with defusedxml: entity declarations and external
references are refused, so billion-laughs and XXE manifests fail with a
PackageError instead of eating memory or reading local files. A plain
``<!DOCTYPE>`` is tolerated (some authoring tools write one); its external
subset is never fetched.

Elements and attributes are matched by local name, ignoring namespaces,
because real packages use many namespace variants (imscp_rootv1p1p2,
imscp_v1p1, none at all) for the same structure. ADL extensions
(``adlcp:scormtype`` / ``scormType``, ``masteryscore`` ...) are matched
case-insensitively for the same reason.

Decisions:

- Only the default organization (the first one if ``default`` is absent) is
  read. A ``default`` naming no organization is read as absent, with a
  warning: other LMSs import such packages, and the first organization is
  what they play.
- A manifest without organizations (none, or an empty ``<organizations/>``)
  gets one top-level SCO per resource with ``scormtype="sco"``, in document
  order, with a warning. Such a SCO is identified and titled by its
  resource's identifier (by its launch file's name when the resource has
  none) and has no run-time settings: those live on items. A manifest with
  neither is refused.
- ``Manifest.warnings`` says, in the uploader's words, what was read
  leniently; the import answers with them.
- A namespace prefix used without its ``xmlns:`` declaration is refused
  naming the prefix and where it is used: the parser alone only says
  "unbound prefix" and a position.
- An item whose resource is not ``scormtype="sco"`` (an asset, or a resource
  without the attribute) stays in the tree with ``sco=None``; when the
  resource has an href, the item's ``asset`` is its launch URL (checked as a
  SCO's is), so a learner can open it, untracked.
- Every item referencing a SCO resource is its own SCO, even when several
  share a resource (the golf examples launch one quiz page with different
  parameters).
- ``xml:base`` on ``<manifest>``, ``<resources>`` and ``<resource>`` is
  applied in that order, each value read as a folder ("course" and
  "course/" mean the same). Launch paths must stay inside the package:
  absolute URLs and paths climbing above the root are errors, because the
  run-time API cannot reach content served from elsewhere.
- ``parameters`` follow the ADL rules: leading "?" or "&" dropped, joined
  with "?" or "&" as the href requires, placed before any fragment; a
  "#fragment" is appended only when the href has none.
- The version is the declared ``schemaversion`` when it says 1.x or
  2004/1.3; otherwise the namespaces in use decide; otherwise "1.2".
- Run-time settings are read from whichever spelling is present, whatever
  the version: 1.2 ``adlcp:masteryscore`` etc., 2004
  ``adlcp:completionThreshold`` (3rd edition text or 4th edition
  ``minProgressMeasure``, default 1.0, when ``completedByMeasure``), ``imsss``
  ``attemptAbsoluteDurationLimit`` as max time allowed, the primary
  objective's ``minNormalizedMeasure`` (default 1.0) when it is
  ``satisfiedByMeasure``, and the objectiveIDs of the primary and other
  objectives. An ``imsss:sequencing IDRef`` takes each part the item does
  not give itself from the ``imsss:sequencingCollection`` entry it names.
- A 2004 setting that is not of its type (a threshold outside 0..1, a
  duration that is not ISO 8601, an unknown time limit action, an objective
  id with white space) is left out with a warning naming the item and the
  value: the course still plays, as it would elsewhere, and the uploader
  knows what the SCO will not get. SCORM 1.2 values are checked when read.
- SCORM 2004 features that need a sequencing engine or shared state
  (sequencing and rollup rules, rollup considerations, global objectives,
  non-default control modes, shared data, navigation presentation) are
  not run: each gets one warning, naming where it is used and what the
  learner gets instead. The course imports.
- Item identifiers must be unique within the default organization (they are
  the ``sco_id`` clients see). Titles have their whitespace collapsed; an
  item without a title is titled by its identifier.
- ``Manifest.title`` is the LOM general title when present, else the
  organization title, else the manifest identifier.
- A value longer than the LMS keeps (``limits.ManifestLimits``: 255
  characters for identifiers and titles, 32 for the mastery score, time
  limit and time limit action) is refused with its item and limit named,
  never cut: a cut identifier could collide with another, a cut setting
  would change what the content reads back.
- NUL and lone surrogates cannot reach the rest of the system: the XML
  parser refuses both, raw or as character references, in every encoding.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

from .errors import PackageError
from .limits import MANIFEST_LIMITS, ManifestLimits

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# Deeper trees are not courses; the limit keeps recursion far from Python's.
MAX_ITEM_DEPTH = 100
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_MARKERS_2004 = ("adlcp_v1p3", "imsss", "adlseq", "adlnav")
_TRUE = ("true", "1")
# An xs:decimal, as measures and thresholds are written.
_DECIMAL = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)$")
# cmi.max_time_allowed's type, timeinterval (second,10,2); "P" alone and a
# trailing "T" are refused where it is used.
_DURATION = re.compile(r"^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?)?$")
TIME_LIMIT_ACTIONS = ("exit,message", "exit,no message", "continue,message", "continue,no message")
_OBJECTIVES = ("primaryobjective", "objective")
# XML's white space characters: what the schema's whiteSpace facet removes.
_XML_SPACE = " \t\r\n"


@dataclass(frozen=True)
class Sco:
    identifier: str  # the manifest item identifier: the sco_id clients see
    title: str
    launch: str  # href + parameters, relative to the package root
    resource_identifier: str
    mastery_score: str = ""
    data_from_lms: str = ""
    max_time_allowed: str = ""
    time_limit_action: str = ""
    completion_threshold: str = ""  # 2004 only
    scaled_passing_score: str = ""  # 2004 only
    objective_ids: tuple[str, ...] = ()  # 2004 only: each objective's objectiveID, in document order


@dataclass(frozen=True)
class Item:
    identifier: str
    title: str
    children: list[Item] = field(default_factory=list)
    sco: Sco | None = None
    is_visible: bool = True
    asset: str = ""  # an asset resource's launch URL: opened untracked


@dataclass(frozen=True)
class Manifest:
    identifier: str
    title: str
    scorm_version: str  # "1.2" or "2004"
    organization_title: str
    items: list[Item]  # the default organization's top-level items
    scos: list[Sco]  # every SCO, in document order
    warnings: tuple[str, ...] = ()  # what was read leniently, for the uploader


@dataclass(frozen=True)
class _Resource:
    element: Element
    bases: tuple[str, ...]


@dataclass
class _Context:
    organization: str
    resources: dict[str, _Resource]
    seen: set[str] = field(default_factory=set)
    version: str = "1.2"
    collection: dict[str, Element] = field(default_factory=dict)  # imsss:sequencingCollection, by ID
    warnings: list[str] = field(default_factory=list)


def parse_manifest(xml: bytes) -> Manifest:
    """Parse ``imsmanifest.xml``; PackageError names whatever is wrong."""
    root = _parse_xml(xml)
    resources = _resource_list(root)
    warnings: list[str] = []
    version = _detect_version(root)
    organization = _default_organization(root, warnings)
    if organization is None:
        items, org_title = _items_from_resources(resources, warnings), ""
    else:
        context = _Context(organization.get("identifier", "").strip(), _by_identifier(resources), version=version,
                           collection=_sequencing_collection(root), warnings=warnings)
        items, org_title = _organization_items(organization, context), _title(organization)
        warnings.extend(_unsupported_features(organization, context.collection))
    identifier = root.get("identifier", "").strip()
    manifest = Manifest(
        identifier=identifier,
        title=_lom_title(root) or org_title or identifier,
        scorm_version=version,
        organization_title=org_title,
        items=items,
        scos=list(_flatten(items)),
        warnings=tuple(warnings),
    )
    check_lengths(manifest)
    return manifest


# ---- lengths ----------------------------------------------------------------


def check_lengths(manifest: Manifest, limits: ManifestLimits = MANIFEST_LIMITS) -> None:
    """PackageError naming the first value longer than its limit."""
    _check_length("the manifest identifier", manifest.identifier, limits.identifier)
    _check_length("the course title", manifest.title, limits.title)
    for item in _every_item(manifest.items):
        named = f"item {_shortened(item.identifier)}"
        _check_length(f"the identifier of {named}", item.identifier, limits.identifier)
        _check_length(f"the title of {named}", item.title, limits.title)
        if item.sco is not None:
            _check_settings(item.sco, named, limits)


def _check_settings(sco: Sco, named: str, limits: ManifestLimits) -> None:
    _check_length(f"adlcp:masteryscore of {named}", sco.mastery_score, limits.mastery_score)
    _check_length(f"the maximum time allowed of {named}", sco.max_time_allowed, limits.max_time_allowed)
    _check_length(f"adlcp:timelimitaction of {named}", sco.time_limit_action, limits.time_limit_action)
    # Stored in columns as wide as the mastery score's.
    _check_length(f"the completion threshold of {named}", sco.completion_threshold, limits.mastery_score)
    _check_length(f"the scaled passing score of {named}", sco.scaled_passing_score, limits.mastery_score)


def _check_length(what: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise PackageError(f"{what} is {len(value)} characters long, more than the {limit} allowed")


def _shortened(identifier: str) -> str:
    # Enough to find the item in the manifest without echoing a huge value.
    return repr(identifier) if len(identifier) <= 40 else repr(identifier[:40]) + "..."


def _every_item(items: list[Item]) -> Iterator[Item]:
    for item in items:
        yield item
        yield from _every_item(item.children)


# ---- XML ------------------------------------------------------------------


def _parse_xml(xml: bytes) -> Element:
    try:
        root = SafeElementTree.fromstring(xml, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise PackageError(_refusal(exc)) from exc
    except ParseError as exc:
        raise PackageError(_unbound_prefix(xml, exc) or f"imsmanifest.xml is not well-formed XML ({exc})") from exc
    if _local(root.tag) != "manifest":
        raise PackageError(f"imsmanifest.xml has <{_local(root.tag)}> as its root element instead of <manifest>")
    return root


class _Unbound(Exception):
    def __init__(self, prefix: str, where: str, line: int) -> None:
        super().__init__(prefix)
        self.prefix, self.where, self.line = prefix, where, line


def _unbound_prefix(xml: bytes, error: ParseError) -> str | None:
    """The refusal naming the undeclared prefix, when that is the error.

    The document is read again without namespace processing, keeping track
    of the ``xmlns:`` declarations in scope, up to the first name whose
    prefix none declares. Only reached after the safe parser got past the
    prolog, so any entity declaration was already refused; the guard below
    keeps it so on its own.
    """
    if getattr(error, "code", None) != expat.errors.codes[expat.errors.XML_ERROR_UNBOUND_PREFIX]:
        return None
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entities
    scopes: list[frozenset[str]] = [frozenset({"xml", "xmlns"})]
    parser.StartElementHandler = lambda name, attrs: scopes.append(_check_prefixes(name, attrs, scopes[-1], parser))
    parser.EndElementHandler = lambda name: scopes.pop()
    try:
        parser.Parse(xml, True)
    except _Unbound as found:
        return (
            f"imsmanifest.xml uses the XML namespace prefix {found.prefix!r} without declaring it "
            f'({found.where}, line {found.line}): add xmlns:{found.prefix}="..." to <manifest>'
        )
    except (expat.ExpatError, ValueError):
        pass
    return None


def _refuse_entities(*_args: object) -> None:
    raise ValueError("entity declarations are refused")


def _check_prefixes(name: str, attrs: dict[str, str], scope: frozenset[str], parser) -> frozenset[str]:
    """The prefixes in scope inside this element; _Unbound at the first undeclared one."""
    declared = scope | {key.split(":", 1)[1] for key in attrs if key.startswith("xmlns:")}
    used = [(name, f"in <{name}>")] + [(key, f"in attribute {key} of <{name}>") for key in attrs]
    for qualified, where in used:
        prefix = qualified.split(":", 1)[0] if ":" in qualified else ""
        if prefix and prefix not in declared:
            raise _Unbound(prefix, where, parser.CurrentLineNumber)
    return declared


def _refusal(exc: DefusedXmlException) -> str:
    culprit = getattr(exc, "name", None) or getattr(exc, "sysid", None)
    named = f" ({culprit!r})" if culprit else ""
    return f"imsmanifest.xml declares XML entities or external references{named}, which are refused for safety"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _elements(parent: Element | None) -> list[Element]:
    """The child elements (not comments or processing instructions)."""
    return [] if parent is None else [child for child in parent if isinstance(child.tag, str)]


def _children(parent: Element | None, name: str) -> list[Element]:
    return [child for child in _elements(parent) if _local(child.tag).lower() == name.lower()]


def _child(parent: Element | None, name: str) -> Element | None:
    found = _children(parent, name)
    return found[0] if found else None


def _text(element: Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _child_text(parent: Element | None, name: str) -> str:
    return _text(_child(parent, name))


def _attr(element: Element | None, name: str) -> str:
    """An attribute by local name in any namespace, case-insensitively."""
    if element is None:
        return ""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return ""


# ---- organizations and items ------------------------------------------------


def _default_organization(root: Element, warnings: list[str]) -> Element | None:
    """The organization to import; None when the manifest has none."""
    container = _child(root, "organizations")
    organizations = _children(container, "organization")
    if not organizations:
        return None
    wanted = container.get("default", "").strip()
    if not wanted:
        return organizations[0]
    for organization in organizations:
        if organization.get("identifier", "").strip() == wanted:
            return organization
    first = organizations[0].get("identifier", "").strip()
    warnings.append(
        f"the default organization {wanted!r} named in <organizations> does not exist; "
        f"the first organization, {first!r}, was imported instead"
    )
    return organizations[0]


def _organization_items(organization: Element, context: _Context) -> list[Item]:
    org_id = context.organization
    items = [_item(element, context, 1) for element in _children(organization, "item")]
    if not items:
        raise PackageError(f"organization {org_id!r} has no items")
    if next(_flatten(items), None) is None:
        # Spelled as the package's version spells it (1.2 scormtype, 2004 scormType).
        attribute = "adlcp:scormType" if context.version == "2004" else "adlcp:scormtype"
        raise PackageError(
            f'the package has no SCO: no item of organization {org_id!r} uses a resource with {attribute}="sco"'
        )
    return items


def _items_from_resources(resources: list[_Resource], warnings: list[str]) -> list[Item]:
    """One top-level SCO per SCO resource, for a manifest without organizations."""
    context = _Context("", {})
    items = [_resource_item(resource, context) for resource in resources if _is_sco(resource)]
    if not items:
        raise PackageError(
            'the manifest has no organization and no resource with adlcp:scormtype="sco", '
            "so there is no course to import"
        )
    made = "1 SCO was" if len(items) == 1 else f"{len(items)} SCOs were"
    warnings.append(
        f'the manifest has no organization: {made} made from its resources with adlcp:scormtype="sco", '
        "in document order, each titled by its resource identifier"
    )
    return items


def _resource_item(resource: _Resource, context: _Context) -> Item:
    identifier = resource.element.get("identifier", "").strip()
    href = resource.element.get("href", "").strip()
    if not href:
        named = repr(identifier) if identifier else "without an identifier"
        raise PackageError(f"SCO resource {named} has no href")
    name = identifier or _file_name(href)
    _register(name, context, 1)
    launch = launch_url(resource.bases, href, "", name)
    return Item(name, name, [], Sco(identifier=name, title=name, launch=launch, resource_identifier=identifier))


def _file_name(href: str) -> str:
    path = href[: _suffix_start(href)].rstrip("/")
    return path.rsplit("/", 1)[-1] or href


def _item(element: Element, context: _Context, depth: int) -> Item:
    identifier = element.get("identifier", "").strip()
    _register(identifier, context, depth)
    title = _title(element) or identifier
    children = [_item(child, context, depth + 1) for child in _children(element, "item")]
    sco = _sco(element, identifier, title, context)
    return Item(
        identifier=identifier,
        title=title,
        children=children,
        sco=sco,
        is_visible=element.get("isvisible", "true").strip().lower() not in ("false", "0"),
        asset="" if sco is not None else _asset(element, identifier, context),
    )


def _register(identifier: str, context: _Context, depth: int) -> None:
    if not identifier:
        raise PackageError(f"an item in organization {context.organization!r} has no identifier")
    if identifier in context.seen:
        raise PackageError(f"item identifier {identifier!r} is used more than once")
    if depth > MAX_ITEM_DEPTH:
        raise PackageError(f"items are nested more than {MAX_ITEM_DEPTH} levels deep (at item {identifier!r})")
    context.seen.add(identifier)


def _title(element: Element) -> str:
    return _child_text(element, "title")


def _flatten(items: list[Item]) -> Iterator[Sco]:
    for item in items:
        if item.sco is not None:
            yield item.sco
        yield from _flatten(item.children)


def _lom_title(root: Element) -> str:
    lom = _child(_child(root, "metadata"), "lom")
    title = _child(_child(lom, "general"), "title")
    if title is None:
        return ""
    for element in title.iter():
        text = " ".join((element.text or "").split())
        if text:
            return text
    return ""


# ---- resources and SCOs -----------------------------------------------------


def _resource_list(root: Element) -> list[_Resource]:
    """Every resource in document order, with the xml:base values above it."""
    container = _child(root, "resources")
    outer = (root.get(XML_BASE, ""), container.get(XML_BASE, "") if container is not None else "")
    resources = [_Resource(element, (*outer, element.get(XML_BASE, ""))) for element in _children(container, "resource")]
    _by_identifier(resources)  # duplicates are refused whether or not an item uses them
    return resources


def _by_identifier(resources: list[_Resource]) -> dict[str, _Resource]:
    found: dict[str, _Resource] = {}
    for resource in resources:
        identifier = resource.element.get("identifier", "").strip()
        if identifier in found:
            raise PackageError(f"resource identifier {identifier!r} is used more than once")
        if identifier:
            found[identifier] = resource
    return found


def _is_sco(resource: _Resource) -> bool:
    return _attr(resource.element, "scormtype").lower() == "sco"


def _asset(item: Element, identifier: str, context: _Context) -> str:
    """The launch URL of the item's non-SCO resource; "" when it has none
    (a heading, or a resource without an href) or when the href leaves the
    package (a web address): the item then stays a heading, since an
    untracked page is no reason to refuse the course."""
    resource = context.resources.get(item.get("identifierref", "").strip())
    href = resource.element.get("href", "").strip() if resource is not None else ""
    if not href:
        return ""
    try:
        return launch_url(resource.bases, href, item.get("parameters", ""), identifier)
    except PackageError:
        return ""


def _sco(item: Element, identifier: str, title: str, context: _Context) -> Sco | None:
    ref = item.get("identifierref", "").strip()
    if not ref:
        return None
    resource = context.resources.get(ref)
    if resource is None:
        raise PackageError(f"resource {ref!r} referenced by item {identifier!r} does not exist")
    if not _is_sco(resource):
        return None
    href = resource.element.get("href", "").strip()
    if not href:
        raise PackageError(f"SCO resource {ref!r} (used by item {identifier!r}) has no href")
    return Sco(
        identifier=identifier,
        title=title,
        launch=launch_url(resource.bases, href, item.get("parameters", ""), identifier),
        resource_identifier=ref,
        **_runtime_settings(item, _Settings(f"item {_shortened(identifier)}", context)),
    )


@dataclass(frozen=True)
class _Settings:
    """Where one item's settings are read: its name in warnings, the context."""

    named: str
    context: _Context

    def refuse(self, message: str) -> str:
        """Record why a value is left out; the value stored instead ("")."""
        self.context.warnings.append(f"{self.named}: {message}")
        return ""


def _runtime_settings(item: Element, where: _Settings) -> dict:
    sequencing = _sequencing_of(item, where)
    is_2004 = where.context.version == "2004"
    max_time = _child_text(item, "maxtimeallowed")
    limit = _attr(sequencing.part("limitConditions"), "attemptAbsoluteDurationLimit")
    action = _child_text(item, "timelimitaction")
    return {
        "mastery_score": _child_text(item, "masteryscore"),
        "data_from_lms": _child_text(item, "datafromlms"),
        # SCORM 1.2 values are checked when read (cmi.profile), as before.
        "max_time_allowed": _duration(limit or max_time, where) if is_2004 else max_time or limit,
        "time_limit_action": _time_limit_action(action, where) if is_2004 else action,
        "completion_threshold": _completion_threshold(_child(item, "completionThreshold"), where),
        "scaled_passing_score": _scaled_passing_score(sequencing, where),
        "objective_ids": _objective_ids(sequencing, where),
    }


# ---- SCORM 2004 settings ------------------------------------------------------------


class _Sequencing:
    """An item's ``imsss:sequencing``, with the collection entry its IDRef
    names: each part (objectives, limitConditions...) is the item's own
    when it has one, else the referenced entry's."""

    def __init__(self, own: Element | None, referenced: Element | None) -> None:
        self.own, self.referenced = own, referenced

    def part(self, name: str) -> Element | None:
        found = _child(self.own, name)
        return found if found is not None else _child(self.referenced, name)


def _sequencing_of(item: Element, where: _Settings) -> _Sequencing:
    own = _child(item, "sequencing")
    ref = _attr(own, "IDRef")
    if not ref:
        return _Sequencing(own, None)
    referenced = where.context.collection.get(ref)
    if referenced is None:
        where.refuse(
            f"imsss:sequencing IDRef {ref!r} names no <imsss:sequencing> of the imsss:sequencingCollection, "
            "so only the item's own sequencing was read"
        )
    return _Sequencing(own, referenced)


def _sequencing_collection(root: Element) -> dict[str, Element]:
    """The shared ``imsss:sequencing`` entries, by their ID."""
    entries = _children(_child(root, "sequencingCollection"), "sequencing")
    return {_attr(entry, "ID"): entry for entry in entries if _attr(entry, "ID")}


def _completion_threshold(element: Element | None, where: _Settings) -> str:
    """The threshold ``cmi.completion_threshold`` reports; "" when none.

    4th edition writes attributes and applies the threshold only when
    completedByMeasure is true; 3rd (and 2nd) edition writes the value as
    the element's text. progressWeight only weighs a SCO in a roll-up by
    measure, which is not run, so it is not kept."""
    if element is None:
        return ""
    if not any(_attr(element, name) for name in ("completedByMeasure", "minProgressMeasure", "progressWeight")):
        return _measure(_text(element), 0, "the completion threshold (adlcp:completionThreshold)", where)
    if _attr(element, "completedByMeasure").lower() not in _TRUE:
        return ""
    value = _attr(element, "minProgressMeasure") or "1.0"
    return _measure(value, 0, "the completion threshold (adlcp:completionThreshold minProgressMeasure)", where)


def _scaled_passing_score(sequencing: _Sequencing, where: _Settings) -> str:
    primary = _child(sequencing.part("objectives"), "primaryObjective")
    if _attr(primary, "satisfiedByMeasure").lower() not in _TRUE:
        return ""
    value = _child_text(primary, "minNormalizedMeasure") or "1.0"
    return _measure(value, -1, "the scaled passing score (imsss:minNormalizedMeasure)", where)


def _measure(value: str, lowest: int, what: str, where: _Settings) -> str:
    """``value`` when it is a decimal from ``lowest`` to 1, else "" with a warning."""
    if not value:
        return ""
    if _DECIMAL.fullmatch(value) and lowest <= float(value) <= 1:
        return value
    return where.refuse(f"{what} {value!r} is not a number from {lowest} to 1, so it was not imported")


def _duration(value: str, where: _Settings) -> str:
    if not value or (_DURATION.fullmatch(value) and value != "P" and not value.endswith("T")):
        return value
    return where.refuse(
        f"the maximum time allowed (imsss:limitConditions attemptAbsoluteDurationLimit) {value!r} is not "
        "an ISO 8601 duration such as PT1H30M, so it was not imported"
    )


def _time_limit_action(value: str, where: _Settings) -> str:
    if not value or value in TIME_LIMIT_ACTIONS:
        return value
    allowed = ", ".join(repr(action) for action in TIME_LIMIT_ACTIONS)
    return where.refuse(
        f"the time limit action (adlcp:timeLimitAction) {value!r} is not one of {allowed}, "
        "so it was not imported and the SCO reads the default, 'continue,no message'"
    )


def _objective_ids(sequencing: _Sequencing, where: _Settings) -> tuple[str, ...]:
    """The objectiveIDs of the primary objective and the others, in document
    order, each once. Kept exactly (they are case-sensitive) but for white
    space around them, which is not part of the value: objectiveID is an
    xs:anyURI, whose white space the schema collapses (the ADL conformance
    packages write " obj " for "obj"). An id with white space inside is
    left out, since none is a valid identifier and the ids are stored
    joined by spaces."""
    container = sequencing.part("objectives")
    objectives = [child for child in _elements(container) if _local(child.tag).lower() in _OBJECTIVES]
    kept: list[str] = []
    for objective in objectives:
        value = _raw_attr(objective, "objectiveID").strip(_XML_SPACE)
        if not value:
            continue
        if any(char.isspace() for char in value):
            where.refuse(f"the objective id {value!r} contains white space, so that objective was not imported")
        elif value in kept:
            where.refuse(f"the objective id {value!r} is used by more than one objective, so it was imported once")
        else:
            kept.append(value)
    return tuple(kept)


def _raw_attr(element: Element, name: str) -> str:
    """An attribute by local name, exactly as written."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value
    return ""


# ---- SCORM 2004 features that are not run ----------------------------------------------


@dataclass(frozen=True)
class _Feature:
    what: str  # its name and element, as the warning starts
    instead: str  # what the learner gets


# Local name → the feature. Found in the imported organization (items and
# their sequencing, with the collection entries they reference), never in
# metadata; adlcp:data and adlnav:presentation only directly in an item.
# Not a tag: a completion threshold on an item that holds items (a cluster).
_CLUSTER_THRESHOLD = "clusterthreshold"
_FEATURES = {
    "sequencingrules": _Feature(
        "sequencing rules (imsss:sequencingRules) are",
        "no rule skips, hides or disables a SCO; the learner gets every SCO, in manifest order",
    ),
    "rolluprules": _Feature(
        "rollup rules (imsss:rollupRules) are",
        "the course's status is rolled up from every SCO's own status, score and time, as for every course",
    ),
    "rollupconsiderations": _Feature(
        "rollup considerations (adlseq:rollupConsiderations) are",
        "every SCO counts in the course's status, as for every course",
    ),
    "mapinfo": _Feature(
        "global objectives (imsss:mapInfo) are",
        "each SCO's objectives are its own, shared with no other SCO or course",
    ),
    "controlmode": _Feature(
        "sequencing control modes other than the defaults (imsss:controlMode{settings}) are",
        "the learner may open any SCO from the table of contents, which lists them in manifest order, "
        "and go on to the next or back to the previous one",
    ),
    "data": _Feature(
        "shared data (adlcp:data) is",
        "the SCOs have no shared data stores: adl.data is empty",
    ),
    "presentation": _Feature(
        "navigation presentation (adlnav:presentation) is",
        "the player shows its own table of contents and navigation with every SCO",
    ),
    _CLUSTER_THRESHOLD: _Feature(
        "completion thresholds of clusters (adlcp:completionThreshold on an item that holds items) are",
        "a cluster's completion is rolled up from its SCOs' own statuses, as for every course",
    ),
}
_ITEM_FEATURES = ("data", "presentation")
# imsss:controlMode's defaults. flow="true" is not listed as unsupported:
# the player always offers the next and previous SCO in manifest order.
_CONTROL_DEFAULTS = {
    "choice": True,
    "choiceexit": True,
    "forwardonly": False,
    "usecurrentattemptobjectiveinfo": True,
    "usecurrentattemptprogressinfo": True,
}
# Places named in one warning: enough to find the feature in the manifest.
_PLACES_NAMED = 3


@dataclass
class _Found:
    places: dict[str, list[str]] = field(default_factory=dict)  # feature → where, in document order
    settings: list[str] = field(default_factory=list)  # imsss:controlMode's non-default attributes

    def add(self, feature: str, place: str) -> None:
        places = self.places.setdefault(feature, [])
        if place not in places:
            places.append(place)


def _unsupported_features(organization: Element, collection: dict[str, Element]) -> list[str]:
    """One warning per SCORM 2004 feature of the organization that is not
    run, naming where it is used and what the learner gets instead."""
    found = _Found()
    _scan(organization, f"organization {_shortened(organization.get('identifier', '').strip())}", collection, found)
    return [_feature_warning(name, found) for name in _FEATURES if name in found.places]


def _scan(parent: Element, place: str, collection: dict[str, Element], found: _Found) -> None:
    for child in parent:
        name = _local(child.tag).lower() if isinstance(child.tag, str) else ""
        if name == "item":
            _scan(child, f"item {_shortened(child.get('identifier', '').strip())}", collection, found)
        elif name == "completionthreshold" and _local(parent.tag).lower() == "item" and _children(parent, "item"):
            found.add(_CLUSTER_THRESHOLD, place)
        elif name == "sequencing":
            _scan_sequencing(child, place, found)
            referenced = collection.get(_attr(child, "IDRef"))
            if referenced is not None:
                _scan_sequencing(referenced, place, found)
        elif name in _ITEM_FEATURES and _local(parent.tag).lower() == "item":
            found.add(name, place)


def _scan_sequencing(sequencing: Element, place: str, found: _Found) -> None:
    for element in sequencing.iter():
        name = _local(element.tag).lower() if isinstance(element.tag, str) else ""
        if name == "controlmode":
            settings = _unusual_control_modes(element)
            if settings:
                found.add(name, place)
                found.settings.extend(setting for setting in settings if setting not in found.settings)
        elif name in _FEATURES and name not in _ITEM_FEATURES:
            found.add(name, place)


def _unusual_control_modes(control_mode: Element) -> list[str]:
    unusual = []
    for key, value in control_mode.attrib.items():
        default = _CONTROL_DEFAULTS.get(_local(key).lower())
        if default is not None and (value.strip().lower() in _TRUE) != default:
            unusual.append(f'{_local(key)}="{value.strip()}"')
    return unusual


def _feature_warning(name: str, found: _Found) -> str:
    feature = _FEATURES[name]
    what = feature.what.format(settings="".join(f" {setting}" for setting in found.settings))
    places = found.places[name]
    shown = ", ".join(places[:_PLACES_NAMED])
    more = f" and {len(places) - _PLACES_NAMED} more" if len(places) > _PLACES_NAMED else ""
    return f"{what} not supported (used in {shown}{more}): {feature.instead}"


# ---- launch URLs --------------------------------------------------------------


def launch_url(bases: tuple[str, ...], href: str, parameters: str, item_id: str) -> str:
    """The SCO's launch URL relative to the package root (see module notes)."""
    cut = _suffix_start(href)
    path, suffix = href[:cut], href[cut:]
    return _with_parameters(_resolve(bases, path, item_id) + suffix, parameters.strip())


def _suffix_start(href: str) -> int:
    positions = [pos for pos in (href.find("?"), href.find("#")) if pos >= 0]
    return min(positions, default=len(href))


def _resolve(bases: tuple[str, ...], path: str, item_id: str) -> str:
    pieces = [base.strip().replace("\\", "/") for base in bases if base.strip()]
    pieces = [piece if piece.endswith("/") else piece + "/" for piece in pieces]
    pieces.append(path.replace("\\", "/"))
    for piece in pieces:
        if piece.startswith("/") or _SCHEME.match(piece):
            raise PackageError(
                f"the launch URL {''.join(pieces)!r} of item {item_id!r} is not a file inside the package"
            )
    return _normalise("".join(pieces), item_id)


def _normalise(path: str, item_id: str) -> str:
    kept: list[str] = []
    for segment in path.split("/"):
        decoded = unquote(segment)
        if decoded in ("", "."):
            continue
        if decoded == "..":
            if not kept:
                raise PackageError(f"the launch path {path!r} of item {item_id!r} escapes the package folder")
            kept.pop()
            continue
        kept.append(segment)
    return "/".join(kept)


def _with_parameters(url: str, parameters: str) -> str:
    if not parameters:
        return url
    base, has_fragment, fragment = url.partition("#")
    if parameters.startswith("#"):
        return url if has_fragment else url + parameters
    query, has_extra, extra = parameters.lstrip("?&").partition("#")
    if query:
        separator = "" if base.endswith(("?", "&")) else "&" if "?" in base else "?"
        base += separator + query
    if has_fragment:
        return f"{base}#{fragment}"
    return f"{base}#{extra}" if has_extra else base


# ---- version --------------------------------------------------------------------


def _detect_version(root: Element) -> str:
    declared = _child_text(_child(root, "metadata"), "schemaversion").lower()
    if "2004" in declared or declared.startswith(("1.3", "cam 1.3")):
        return "2004"
    if declared.startswith("1."):
        return "1.2"
    namespaces = _namespaces(root)
    if any(marker in uri for uri in namespaces for marker in _MARKERS_2004):
        return "2004"
    return "1.2"


def _namespaces(root: Element) -> set[str]:
    found: set[str] = set()
    for element in root.iter():
        names = [element.tag, *element.attrib] if isinstance(element.tag, str) else []
        found.update(name[1:].split("}", 1)[0] for name in names if name.startswith("{"))
    return found
