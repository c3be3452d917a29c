"""Staff accounts (passwords, roles, the first admin) and the audit log of what staff did."""
