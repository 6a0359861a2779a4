"""One router per resource; `app.main` lists them all in one place."""
