"""A MARS client for the lab server's tests: FreeTDS's ODBC driver through pyodbc.

usage: python3 mars_client.py DRIVER PORT USER PASSWORD MARS(Yes|No) SCENARIO PAD_CHARS
Prints one JSON object with what the application saw (row counts per statement).
"""
import json
import sys

import pyodbc

driver, port, user, password, mars, scenario, pad = sys.argv[1:8]
pad = int(pad)
conn = pyodbc.connect(
    f"DRIVER={driver};SERVER=127.0.0.1;PORT={port};UID={user};PWD={password};DATABASE=master;"
    f"TDS_Version=7.4;Encryption=off;MARS_Connection={mars}",
    timeout=10,
    autocommit=True,  # else the driver sends a transaction manager request first
)
out = {}
if scenario == "interleaved":
    # two statements with open result sets at once (two SMP sessions), fetched in turns
    a = conn.cursor()
    b = conn.cursor()
    a.execute("SELECT TOP 300 * FROM dbo.big_rows")
    b.execute("SELECT TOP 40 * FROM dbo.big_rows")
    turns = []
    for _ in range(5):
        turns.append(a.fetchone()[0])
        turns.append(b.fetchone()[0])
    out["turns"] = turns
    out["a"] = 5 + len(a.fetchall())
    out["b"] = 5 + len(b.fetchall())
    a.close()
    b.close()
    # closing a statement with rows still coming: FreeTDS cancels it (ATTENTION on its session) while the server
    # waits for the client's window
    e = conn.cursor()
    e.execute("SELECT TOP 5000 * FROM dbo.big_rows")
    out["cancelled_first"] = e.fetchone()[0]
    e.close()
# a request of several TDS packets: more than the 4 the SMP window allows at first
c = conn.cursor()
c.execute("SELECT 'padded' AS p, '" + "x" * pad + "' AS padding")
out["padded"] = c.fetchone()[0]
c.close()
d = conn.cursor()
d.execute("SELECT 1")
out["one"] = d.fetchone()[0]
d.close()
conn.close()
print(json.dumps(out))
