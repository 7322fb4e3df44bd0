"""Reading and writing the user's files. Everything that touches the disk lives here."""
