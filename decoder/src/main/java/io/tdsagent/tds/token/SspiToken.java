package io.tdsagent.tds.token;

import io.tdsagent.tds.wire.Hex;

/** SSPI (0xED): an authentication blob from the server (NTLM challenge, Kerberos reply...). */
public final class SspiToken extends Token {
    private final byte[] data;

    public SspiToken(byte[] data) {
        super(TokenType.SSPI);
        this.data = data.clone();
    }

    public byte[] getData() {
        return data.clone();
    }

    public int getLength() {
        return data.length;
    }

    @Override
    public String toString() {
        return "SspiToken{length=" + data.length + ", data=" + Hex.brief(data) + '}';
    }
}
