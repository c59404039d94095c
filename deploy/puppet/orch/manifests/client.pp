# @summary The orch CLI on an operator host: package and /etc/orch/client.yaml.
#
# Each operator signs with a certificate of the site's CA, by default ~/.orch/ssl (docs/pki.md); $ssl_dir and
# $certname change that for everyone on the host, e.g. for a change-window job that runs as root.
#
# @param broker      the broker operators connect to, e.g. ssl://mq1.example.com:61617
# @param notify_url  where every run's summary is posted (--notify); a secret, so the file is then readable by
#                    root and $group only
# @param group       who may read client.yaml when it holds $notify_url
# @param settings    any other client.yaml keys, e.g. { 'batch' => '10%', 'wait_timeout' => '30m' }
class orch::client (
  String[1] $broker,
  String[1] $collective = 'orch',
  Optional[String[1]] $ssl_dir = undef,
  Optional[String[1]] $certname = undef,
  Optional[String[1]] $notify_url = undef,
  String[1] $group = 'root',
  Hash[String[1], Scalar] $settings = {},
  String[1] $package_ensure = 'installed',
) {
  package { 'orch':
    ensure => $package_ensure,
  }

  if !defined(File['/etc/orch']) {
    file { '/etc/orch':
      ensure => directory,
      owner  => 'root',
      group  => 'root',
      mode   => '0755',
    }
  }

  file { '/etc/orch/client.yaml':
    ensure    => file,
    owner     => 'root',
    group     => $group,
    mode      => $notify_url ? { undef => '0644', default => '0640' },
    show_diff => $notify_url ? { undef => true, default => false },
    content   => epp('orch/client.yaml.epp', {
      'broker'     => $broker,
      'collective' => $collective,
      'ssl_dir'    => $ssl_dir,
      'certname'   => $certname,
      'notify_url' => $notify_url,
      'settings'   => $settings,
    }),
    require   => Package['orch'],
  }
}
