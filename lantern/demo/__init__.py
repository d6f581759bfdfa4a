"""The fictional demo: a generated review bundle (`generator`, `story`) and its loader (`loader`).

`lantern demo load` imports it and walks it through its life; `lantern demo logins` prints the
demo accounts; `lantern demo bundle -o DIR` writes the bundle without importing it.
"""
