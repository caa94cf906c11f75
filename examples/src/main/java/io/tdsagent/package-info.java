package io.tdsagent;
