"""Resource documents and policy packs the tests write into projects: YAML text to fill with
`str.format`. The layout is fixed (the name on line 4, the first setting on line 6): tests assert
on lines."""

TENANT = """\
apiVersion: faqlint/v1
kind: Tenant
metadata:
  name: {name}
spec:
  cloud: Commercial
"""

ORG = """\
apiVersion: faqlint/v1
kind: ExchangeOrganizationConfig
metadata:
  name: {name}
spec:
  EwsEnabled: {enabled}
"""

NETWORK = """\
apiVersion: faqlint/v1
kind: NetworkConfiguration
metadata:
  name: head-office
spec:
  outboundTcpPorts: [80, 443]
  proxy:
    enabled: true
    protocol: http
    tlsInspection: true
"""


# A policy pack of the tests' own rules: PACK_HEAD, then for each rule RULE_HEAD and the rest of
# the rule (given, validations, examples), as the test needs them.
PACK_HEAD = """\
apiVersion: faqlint/v1
kind: PolicyPack
metadata: {{name: {name}}}
rules:
"""

RULE_HEAD = """\
  - code: {code}
    name: {name}
    severity: error
    summary: s
    faq: q
    rationale: r
    fix: f
"""
