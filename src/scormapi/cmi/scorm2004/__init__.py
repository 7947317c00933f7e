"""The SCORM 2004 4th edition data model."""
