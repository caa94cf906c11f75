package io.tdsagent.lab.sql;

/** Column types the lab can return, with their TDS TYPE_INFO encodings (MS-TDS 2.2.5.4). */
public enum SqlType {
    /** INTNTYPE (0x26) with length 4. */
    INT,
    /** INTNTYPE (0x26) with length 8. */
    BIGINT,
    /** NVARCHARTYPE (0xE7) with a maximum length in characters (at most 4000) and a collation. */
    NVARCHAR
}
