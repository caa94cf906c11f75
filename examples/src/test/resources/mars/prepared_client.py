"""A parameterised query through FreeTDS's ODBC driver (pyodbc), which sends it as sp_prepexec.

usage: python3 prepared_client.py DRIVER PORT USER PASSWORD
Prints one JSON object with what the application saw.
"""
import json
import sys

import pyodbc

driver, port, user, password = sys.argv[1:5]
conn = pyodbc.connect(
    f"DRIVER={driver};SERVER=127.0.0.1;PORT={port};UID={user};PWD={password};DATABASE=master;"
    f"TDS_Version=7.4;Encryption=off",
    timeout=10,
    autocommit=True,
)
c = conn.cursor()
c.execute("SELECT ? AS answer", 42)
out = {"answer": c.fetchone()[0]}
c.close()
conn.close()
print(json.dumps(out))
