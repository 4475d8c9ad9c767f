// Hanweb jpage placeholder: later pages come from POST /module/web/jpage/dataproxy.jsp (not served here)
var dataStore = null;
