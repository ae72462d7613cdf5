"""The residents' door: a resident's own pages, signed in with their own account
(docs/domain.md, "The residents' own door")."""
