"""Request plumbing shared by every HTTP face (the API, the learner pages)."""
