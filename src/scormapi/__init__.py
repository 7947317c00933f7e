"""scormapi: a self-hostable SCORM records service."""
__version__ = "0.1.0"
