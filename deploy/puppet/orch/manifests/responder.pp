# @summary The orch responder on a node: package, config, the node's Puppet certificate as orch's PKI, policy,
#   service.
#
# The node signs and verifies with the certificate its Puppet agent already has. The files are copied into
# $ssl_dir, with the key owner-only (Puppet keeps its own key group-readable, which the responder refuses), so
# Puppet's own ssl folder is left as Puppet wants it. A renewed certificate or a new CRL is copied at the next
# run and restarts the service, which reads them at start.
#
# @param broker        the nodes' broker, e.g. ssl://mq1.example.com:61617 or failover:(ssl://mq1:61617,ssl://mq2:61617)
# @param policy_content the policy (docs/policy.md) as text: who may reboot, when; give this or $policy_source
# @param policy_source  the policy as a file source (puppet:///...); without either, /etc/orch/policy.yaml is
#                       not managed (and without that file, nobody may reboot)
# @param executor      system: really reboot (shutdown -r); log: only log what would run (a dry run of the fleet)
# @param identity      the node's identity: its Puppet certname, which its certificate's CN is
# @param puppet_ssl_dir where the Puppet agent keeps its certificate, key, CA and CRL
# @param metrics_textfile the Prometheus text file for node_exporter; undef for none
# @param metrics_listen host:port to serve /metrics on; undef (the default) for none
class orch::responder (
  String[1] $broker,
  Optional[String] $policy_content = undef,
  Optional[String] $policy_source = undef,
  Enum['system', 'log'] $executor = 'system',
  String[1] $collective = 'orch',
  String[1] $identity = $trusted['certname'],
  # The agent's own ssldir (a fact, not $settings::ssldir, which is the compiling server's): Puppet's AIO
  # packages keep it in /etc/puppetlabs, the distributions' packages in /var/lib/puppet.
  String[1] $puppet_ssl_dir = $facts['aio_agent_version'] ? {
    undef   => '/var/lib/puppet/ssl',
    default => '/etc/puppetlabs/puppet/ssl',
  },
  String[1] $ssl_dir = '/etc/orch/ssl',
  Boolean $allow_force = false,
  Integer[0] $min_interval_s = 1800,
  Integer[0] $lock_wait_s = 1800,
  Array[String[1]] $lock_files = [
    '/opt/puppetlabs/puppet/cache/state/agent_catalog_run.lock',
    '/var/lib/puppet/state/agent_catalog_run.lock',
  ],
  Array[String[1]] $facts_files = [],
  Integer[60, 86400] $registry_interval_s = 600,
  Optional[String[1]] $metrics_textfile = '/var/lib/prometheus/node-exporter/orch.prom',
  Optional[String[1]] $metrics_listen = undef,
  String[1] $package_ensure = 'installed',
  Boolean $service_manage = true,
  Enum['running', 'stopped'] $service_ensure = 'running',
  Boolean $service_enable = true,
) {
  if $policy_content and $policy_source {
    fail('orch::responder: give policy_content or policy_source, not both')
  }

  package { 'orch-responder':
    ensure => $package_ensure,
  }

  include orch::dir
  file { [$ssl_dir, "${ssl_dir}/certs"]:
    ensure => directory,
    owner  => 'root',
    group  => 'root',
    mode   => '0755',
  }
  file { "${ssl_dir}/private_keys":
    ensure => directory,
    owner  => 'root',
    group  => 'root',
    mode   => '0700',
  }

  $ssl_files = {
    "${ssl_dir}/certs/${identity}.pem"        => ["${puppet_ssl_dir}/certs/${identity}.pem", '0644'],
    "${ssl_dir}/private_keys/${identity}.pem" => ["${puppet_ssl_dir}/private_keys/${identity}.pem", '0600'],
    "${ssl_dir}/certs/ca.pem"                 => ["${puppet_ssl_dir}/certs/ca.pem", '0644'],
    "${ssl_dir}/crl.pem"                      => ["${puppet_ssl_dir}/crl.pem", '0644'],
  }
  $ssl_files.each |String $copy, Array $from| {
    file { $copy:
      ensure    => file,
      source    => "file://${from[0]}",
      owner     => 'root',
      group     => 'root',
      mode      => $from[1],
      show_diff => false,
    }
  }

  file { '/etc/orch/responder.yaml':
    ensure  => file,
    owner   => 'root',
    group   => 'root',
    mode    => '0644',
    content => epp('orch/responder.yaml.epp', {
      'broker'              => $broker,
      'collective'          => $collective,
      'identity'            => $identity,
      'ssl_dir'             => $ssl_dir,
      'executor'            => $executor,
      'allow_force'         => $allow_force,
      'min_interval_s'      => $min_interval_s,
      'lock_wait_s'         => $lock_wait_s,
      'lock_files'          => $lock_files,
      'facts_files'         => $facts_files,
      'registry_interval_s' => $registry_interval_s,
      'metrics_textfile'    => $metrics_textfile,
      'metrics_listen'      => $metrics_listen,
    }),
    require => Package['orch-responder'],
  }

  # Without either, the file is left alone: a node without one lets anyone of the site's CA ping, discover and
  # ask status, and nobody reboot.
  if $policy_content or $policy_source {
    $policy = $policy_source ? {
      undef   => { 'content' => $policy_content },
      default => { 'source' => $policy_source },
    }
    file { '/etc/orch/policy.yaml':
      ensure  => file,
      owner   => 'root',
      group   => 'root',
      mode    => '0644',
      require => Package['orch-responder'],
      *       => $policy,
    }
  }

  if $service_manage {
    # The policy is read again within a second of a change; the rest only at start.
    service { 'orch-responder':
      ensure    => $service_ensure,
      enable    => $service_enable,
      subscribe => [File['/etc/orch/responder.yaml'], File[keys($ssl_files)], Package['orch-responder']],
    }
  }
}
