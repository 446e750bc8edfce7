#!/bin/bash
# The Kafka broker of docker-compose.yml: KRaft, SASL/SCRAM-SHA-512 for clients and
# between brokers, SASL/PLAIN (admin only) on the controller listener, ACLs
# (StandardAuthorizer, nothing allowed unless granted). The same settings as
# scripts/infra/kafka.mjs; the principals' SCRAM credentials are written when
# the storage is formatted, from the passwords in the environment (.env).
set -euo pipefail

: "${KAFKA_ADMIN_PASSWORD:?}" "${KAFKA_CLUSTER_ID:?}"
DATA=/var/lib/kafka/data
CONFIG=/tmp/server.properties
jaas() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
ADMIN=$(jaas "$KAFKA_ADMIN_PASSWORD")

cat > "$CONFIG" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9095
listeners=BROKER://:9094,CONTROLLER://localhost:9095
advertised.listeners=BROKER://kafka:9094
inter.broker.listener.name=BROKER
controller.listener.names=CONTROLLER
listener.security.protocol.map=BROKER:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
sasl.mechanism.controller.protocol=PLAIN
listener.name.broker.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.broker.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$ADMIN";
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$ADMIN" user_admin="$ADMIN";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin
allow.everyone.if.no.acl.found=false
log.dirs=$DATA
auto.create.topics.enable=false
num.partitions=6
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPERTIES
chmod 600 "$CONFIG"

# The admin's client settings, for the health check.
cat > /tmp/admin.properties <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$ADMIN";
PROPERTIES
chmod 600 /tmp/admin.properties

if [ ! -f "$DATA/meta.properties" ]; then
  scram=(--add-scram "SCRAM-SHA-512=[name=admin,password=$KAFKA_ADMIN_PASSWORD]")
  for service in tenant agent call quality edge; do
    variable="KAFKA_${service^^}_SVC_PASSWORD"
    scram+=(--add-scram "SCRAM-SHA-512=[name=${service}-svc,password=${!variable:?$variable is missing}]")
  done
  /opt/kafka/bin/kafka-storage.sh format -t "$KAFKA_CLUSTER_ID" -c "$CONFIG" "${scram[@]}"
fi
exec /opt/kafka/bin/kafka-server-start.sh "$CONFIG"
