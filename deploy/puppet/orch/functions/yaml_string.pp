# @summary A value as a YAML single-quoted string: any quote in it doubled, so that no value (a path, a
#   broker URL, a webhook address) can end the string or start a comment.
function orch::yaml_string(Scalar $value) >> String {
  $text = String($value).regsubst("'", "''", 'G')
  "'${text}'"
}
