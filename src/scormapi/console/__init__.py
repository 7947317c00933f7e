"""The administrator console (``/admin``): server-rendered pages on the
operations layer (``scormapi.ops``), signed in with the learner pages' own
session cookie, CSRF and sign-in throttling."""
