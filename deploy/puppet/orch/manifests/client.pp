# @summary The orch CLI on an operator host: package and /etc/orch/client.yaml.
#
# Each operator signs with a certificate of the site's CA, by default ~/.orch/ssl (docs/pki.md); $ssl_dir and
# $certname change that for everyone on the host, e.g. for a change-window job that runs as root.
#
# @param broker      the broker operators connect to, e.g. ssl://mq1.example.com:61617
# @param notify_url  where every run's summary is posted (--notify); a secret (Sensitive is welcome): the file
#                    is then readable by root and $group only, and its content is Sensitive in reports
# @param group       who may read client.yaml when it holds $notify_url: the operators' group (required then,
#                    since an operator who cannot read the file cannot run orch)
# @param settings    any other client.yaml keys, e.g. { 'batch' => '10%', 'wait_timeout' => '30m' }
class orch::client (
  String[1] $broker,
  String[1] $collective = 'orch',
  Optional[String[1]] $ssl_dir = undef,
  Optional[String[1]] $certname = undef,
  Optional[Variant[String[1], Sensitive[String[1]]]] $notify_url = undef,
  Optional[String[1]] $group = undef,
  Hash[String[1], Scalar] $settings = {},
  String[1] $package_ensure = 'installed',
) {
  if $notify_url and !$group {
    fail('orch::client: notify_url makes client.yaml readable by root and group only; give group => the operators\' group')
  }
  if 'notify' in $settings {
    fail('orch::client: give the webhook as notify_url (kept secret), not in settings')
  }
  $url = $notify_url ? {
    Sensitive => $notify_url.unwrap,
    default   => $notify_url,
  }

  package { 'orch':
    ensure => $package_ensure,
  }

  include orch::dir

  $content = epp('orch/client.yaml.epp', {
    'broker'     => $broker,
    'collective' => $collective,
    'ssl_dir'    => $ssl_dir,
    'certname'   => $certname,
    'notify_url' => $url,
    'settings'   => $settings,
  })
  file { '/etc/orch/client.yaml':
    ensure    => file,
    owner     => 'root',
    group     => $group ? { undef => 'root', default => $group },
    mode      => $url ? { undef => '0644', default => '0640' },
    show_diff => $url == undef,
    content   => $url ? { undef => $content, default => Sensitive($content) },
    require   => Package['orch'],
  }
}
