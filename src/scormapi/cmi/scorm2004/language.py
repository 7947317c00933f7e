"""SCORM 2004 language_type: an RFC 1766-style language tag
("en", "en-US", "sgn-BE-fr", "i-klingon"), checked against code tables.

A tag is `langcode(-subcode)*`, ASCII letters and digits, case-insensitive.
It is a language when:

- it is, or starts with (up to a "-"), a tag registered with IANA
  (IANA_TAGS: "i-klingon", "zh-min-nan", "art-lojban"...); or
- its langcode is "x" (private use) and at least one subcode follows; or
- its langcode is an ISO 639-1 code (two letters), an ISO 639-2 code (three
  letters, bibliographic or terminology set) or in the ISO 639-2 local range
  qaa-qtz, and its first subcode, if any, is two letters naming an ISO
  3166-1 country. Later subcodes are not checked beyond their syntax.

So a first subcode that is not two letters ("en-USA", "es-419") is refused
unless the tag is registered, as the ADL reference refuses it. "i" and "x"
alone name no language and are refused. The tables keep codes that have
been withdrawn ("mo", "iw", "scc", "scr", "YU", "ZR"), because content
written when they were valid still sends them.

The empty string is not a language; the elements that allow it say so.
"""

import re

# Without anchors, for a DataType; [A-Za-z] and [0-9] are ASCII in both
# Python and JavaScript.
LANGUAGE_PATTERN = r"(?:[A-Za-z]{2,3}|[iIxX])(?:-[A-Za-z0-9]{1,8})*"
_LANGUAGE = re.compile(LANGUAGE_PATTERN)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(sorted(set(text.split())))


# ISO 639-1, with the withdrawn in (id), iw (he), ji (yi), jw (jv), mo (ro)
# and sh (Serbo-Croatian).
ISO639_1 = _codes("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu
hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb
lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om
or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw
ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
in iw ji jw mo sh
""")

# ISO 639-2, both the bibliographic (B) and the terminology (T) codes, with
# the withdrawn mol, scc and scr. The local range qaa-qtz is a rule, not
# listed (see `is_language`).
ISO639_2 = _codes("""
aar abk ace ach ada ady afa afh afr ain aka akk alb ale alg alt amh ang anp apa ara arc arg
arm arn arp art arw asm ast ath aus ava ave awa aym aze bad bai bak bal bam ban baq bas bat
bej bel bem ben ber bho bih bik bin bis bla bnt bod bos bra bre btk bua bug bul bur byn cad
cai car cat cau ceb cel ces cha chb che chg chi chk chm chn cho chp chr chu chv chy cmc cnr
cop cor cos cpe cpf cpp cre crh crp csb cus cym cze dak dan dar day del den deu dgr din div
doi dra dsb dua dum dut dyu dzo efi egy eka ell elx eng enm epo est eus ewe ewo fan fao fas
fat fij fil fin fiu fon fra fre frm fro frr frs fry ful fur gaa gay gba gem geo ger gez gil
gla gle glg glv gmh goh gon gor got grb grc gre grn gsw guj gwi hai hat hau haw heb her hil
him hin hit hmn hmo hrv hsb hun hup hye iba ibo ice ido iii ijo iku ile ilo ina inc ind ine
inh ipk ira iro isl ita jav jbo jpn jpr jrb kaa kab kac kal kam kan kar kas kat kau kaw kaz
kbd kha khi khm kho kik kin kir kmb kok kom kon kor kos kpe krc krl kro kru kua kum kur kut
lad lah lam lao lat lav lez lim lin lit lol loz ltz lua lub lug lui lun luo lus mac mad mag
mah mai mak mal man mao map mar mas may mdf mdr men mga mic min mis mkd mkh mlg mlt mnc mni
mno moh mon mos mri msa mul mun mus mwl mwr mya myn myv nah nai nap nau nav nbl nde ndo nds
nep new nia nic niu nld nno nob nog non nor nqo nso nub nwc nya nym nyn nyo nzi oci oji ori
orm osa oss ota oto paa pag pal pam pan pap pau peo per phi phn pli pol pon por pra pro pus
que raj rap rar roa roh rom ron rum run rup rus sad sag sah sai sal sam san sas sat scn sco
sel sem sga sgn shn sid sin sio sit sla slk slo slv sma sme smi smj smn smo sms sna snd snk
sog som son sot spa sqi srd srn srp srr ssa ssw suk sun sus sux swa swe syc syr tah tai tam
tat tel tem ter tet tgk tgl tha tib tig tir tiv tkl tlh tli tmh tog ton tpi tsi tsn tso tuk
tum tup tur tut tvl twi tyv udm uga uig ukr umb und urd uzb vai ven vie vol vot wak wal war
was wel wen wln wol xal xho yao yap yid yor ypk zap zbl zen zgh zha zho znd zul zun zxx zza
mol scc scr
""")

# ISO 3166-1 alpha-2, with the withdrawn codes of ISO 3166-3 (AN, BU, CS,
# DD, SU, TP, YU, ZR...), some of which have since been given to others.
ISO3166 = _codes("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
ZW
AN BU CS CT DD DY FQ FX HV JT MI NH NQ NT PC PU PZ RH SU TP VD WK YD YU ZR
""")

# Whole tags registered with IANA under RFC 1766/3066 (lowercase).
IANA_TAGS = _codes("""
art-lojban az-arab az-cyrl az-latn cel-gaulish de-1901 de-1996 de-at-1901 de-at-1996
de-ch-1901 de-ch-1996 de-de-1901 de-de-1996 en-boont en-gb-oed en-scouse i-ami i-bnn
i-default i-enochian i-hak i-klingon i-lux i-mingo i-navajo i-pwn i-tao i-tay i-tsu no-bok
no-nyn sgn-be-fr sgn-be-nl sgn-br sgn-ch-de sgn-co sgn-de sgn-dk sgn-es sgn-fr sgn-gb sgn-gr
sgn-ie sgn-it sgn-jp sgn-mx sgn-ni sgn-nl sgn-no sgn-pt sgn-se sgn-us sgn-za sl-rozaj sr-cyrl
sr-latn uz-cyrl uz-latn yi-latn zh-cmn zh-gan zh-guoyu zh-hakka zh-hans zh-hant zh-min
zh-min-nan zh-wuu zh-xiang zh-yue
""")

# Names of the tables for `datatypes.Format.lookups`, shared with the
# browser check (types2004.js).
TABLES: dict[str, tuple[str, ...]] = {
    "iso639_1": ISO639_1,
    "iso639_2": ISO639_2,
    "iso3166": ISO3166,
    "iana_tags": IANA_TAGS,
}

_ISO639_1 = frozenset(ISO639_1)
_ISO639_2 = frozenset(ISO639_2)
_ISO3166 = frozenset(ISO3166)
_IANA_TAGS = frozenset(IANA_TAGS)
_LOCAL_RANGE = re.compile(r"q[a-t][a-z]")


def _is_registered(tag: str) -> bool:
    """Whether the lowercase `tag` is an IANA tag or one followed by subcodes."""
    parts = tag.split("-")
    return any("-".join(parts[:end]) in _IANA_TAGS for end in range(2, len(parts) + 1))


def _is_langcode(code: str) -> bool:
    if len(code) == 2:
        return code in _ISO639_1
    return code in _ISO639_2 or _LOCAL_RANGE.fullmatch(code) is not None


def is_language(tag: object) -> bool:
    """Whether `tag` is a language_type (rules in the module docstring)."""
    if not isinstance(tag, str) or _LANGUAGE.fullmatch(tag) is None:
        return False
    lowered = tag.lower()
    if _is_registered(lowered):
        return True
    code, *subcodes = lowered.split("-")
    if code == "x":
        return bool(subcodes)
    if code == "i" or not _is_langcode(code):
        return False
    return not subcodes or (len(subcodes[0]) == 2 and subcodes[0].upper() in _ISO3166)
