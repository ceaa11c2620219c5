"""The web face: a public catalog with a map, and the admin's and sellers' dashboard.

SMS stays the first channel. Every change made on the web is an SMS command run through the
same core (`actions.run_command`), so the web and SMS share one set of rules.
"""
