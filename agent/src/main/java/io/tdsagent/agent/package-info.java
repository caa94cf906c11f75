package io.tdsagent.agent;
