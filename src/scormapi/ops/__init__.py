"""The use cases: each checks the caller's permission, calls the store and
writes the audit record, in the session (one transaction) its caller opens.

The API, the administrator pages and the command line all call these, so a
permission rule or an audit record exists in one place. Nothing here knows
HTTP: errors are ``scormapi.errors.ServiceError`` and answers plain data.
"""
