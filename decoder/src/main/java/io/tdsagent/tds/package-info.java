package io.tdsagent.tds;
