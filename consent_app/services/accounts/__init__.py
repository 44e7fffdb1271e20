"""People who sign in (admins, marketers, auditors) and the activity log of what they
viewed, exported and changed."""
