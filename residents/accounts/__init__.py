"""Residents' own accounts: access letters, binding a code to an account, signing in."""
