/**
 * Body rewrites between a tenant's view and the backend's: names mapped into the tenant's namespace on
 * the way in and back on the way out, lists cut down to what the tenant may see, host details scrubbed.
 * Pure functions over parsed JSON; each has golden in/expected files under the tests' resources.
 */
package io.portcullis.gateway.rewrite;
