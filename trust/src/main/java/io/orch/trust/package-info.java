/**
 * Identity from the site's PKI: reading certificates, private keys and CRLs as a site lays them out
 * (Puppet's ssl directory as it is: PKCS#1 or PKCS#8 PEM keys, a CA bundle of root and intermediate,
 * a CRL file), refusing private keys others can read, and checking a certificate against the site's
 * CA (chain, validity dates, revocation). The signing and verifying of orch's messages build on it, and so
 * does TLS to the broker ({@link io.orch.trust.TlsMaterial}).
 */
package io.orch.trust;
