/**
 * {@code orch pki}: a small certificate authority in a directory, for sites without one. {@link
 * io.orch.cli.pki.CaDirectory} keeps the CA there (its certificate, its owner-only key, its CRL, and
 * what it issued and revoked, one PEM file per name) and writes each certificate it issues in the
 * Puppet layout orch reads; {@link io.orch.cli.pki.CertificateText} describes any site's
 * certificates and CRLs for a person. The cryptography is {@link io.orch.trust.LocalCa}'s.
 */
package io.orch.cli.pki;
