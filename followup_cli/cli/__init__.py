"""The command line: parse options, call the core, print. No domain logic here."""
