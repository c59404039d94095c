# @summary /etc/orch, which orch::responder and orch::client share on a host that is both a node and an
#   operator's.
class orch::dir {
  file { '/etc/orch':
    ensure => directory,
    owner  => 'root',
    group  => 'root',
    mode   => '0755',
  }
}
