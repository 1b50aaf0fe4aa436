#!/bin/bash
# LocalStack "ready" hook (mounted into /etc/localstack/init/ready.d by docker-compose.temporal.yml):
# creates the runs-fleet queues, tables and bucket with the same names and settings as the CDK stack
# (Infrastructure/), then seeds a small demo fleet. The last step writes a marker the compose
# healthcheck waits for, so the Worker and the SqsBridge start only against a complete environment.
set -euo pipefail

REGION="${AWS_DEFAULT_REGION:-us-east-1}"
PREFIX="/runs-fleet/runners"
aws() { awslocal --region "$REGION" "$@"; }
queue_arn() { aws sqs get-queue-attributes --queue-url "$1" --attribute-names QueueArn --query Attributes.QueueArn --output text; }
ago() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }

# The termination queue's kind comes from TERMINATION_QUEUE_KIND (docker-compose.temporal.yml passes the host's
# variable, default fifo like the CDK stack's runsFleet:terminationQueueKind). standard is what stock runs-fleet
# agents can send to (they pass no MessageGroupId); the bridge's queue URL follows the same variable
# (deploy/localstack/termination-<kind>.env). The DLQ is of the same kind, as SQS requires.
TERMINATION_KIND="${TERMINATION_QUEUE_KIND:-fifo}"
case "$TERMINATION_KIND" in
  fifo)
    term_queue=runs-fleet-termination.fifo
    term_dlq_name=runs-fleet-termination-dlq.fifo
    term_dlq_attributes=FifoQueue=true,MessageRetentionPeriod=1209600
    term_kind_attributes='"FifoQueue": "true", "ContentBasedDeduplication": "true",'
    ;;
  standard)
    term_queue=runs-fleet-termination
    term_dlq_name=runs-fleet-termination-dlq
    term_dlq_attributes=MessageRetentionPeriod=1209600
    term_kind_attributes=''
    ;;
  *)
    echo "runs-fleet: TERMINATION_QUEUE_KIND must be fifo or standard, got '$TERMINATION_KIND'" >&2
    exit 1
    ;;
esac

echo "runs-fleet: queues (termination: $TERMINATION_KIND; 14-day retention, DLQ after 3 receives)"
# Visibility 120 s as in the CDK stack: a floor, since the bridge extends the visibility of a message whose start it retries.
term_dlq=$(aws sqs create-queue --queue-name "$term_dlq_name" \
  --attributes "$term_dlq_attributes" --query QueueUrl --output text)
aws sqs create-queue --queue-name "$term_queue" --attributes "{
  $term_kind_attributes
  \"VisibilityTimeout\": \"120\",
  \"MessageRetentionPeriod\": \"1209600\",
  \"RedrivePolicy\": \"{\\\"deadLetterTargetArn\\\":\\\"$(queue_arn "$term_dlq")\\\",\\\"maxReceiveCount\\\":\\\"3\\\"}\"
}" >/dev/null
hk_dlq=$(aws sqs create-queue --queue-name runs-fleet-housekeeping-dlq \
  --attributes MessageRetentionPeriod=1209600 --query QueueUrl --output text)
aws sqs create-queue --queue-name runs-fleet-housekeeping --attributes "{
  \"VisibilityTimeout\": \"300\",
  \"MessageRetentionPeriod\": \"1209600\",
  \"RedrivePolicy\": \"{\\\"deadLetterTargetArn\\\":\\\"$(queue_arn "$hk_dlq")\\\",\\\"maxReceiveCount\\\":\\\"3\\\"}\"
}" >/dev/null

echo "runs-fleet: tables"
aws dynamodb create-table --table-name runs-fleet-jobs \
  --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=job_id,AttributeType=N AttributeName=status,AttributeType=S \
    AttributeName=completed_at,AttributeType=S AttributeName=instance_id,AttributeType=S \
    AttributeName=created_at,AttributeType=S \
  --key-schema AttributeName=job_id,KeyType=HASH \
  --global-secondary-indexes '[
    {"IndexName": "completed_at-index",
     "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}, {"AttributeName": "completed_at", "KeyType": "RANGE"}],
     "Projection": {"ProjectionType": "ALL"}},
    {"IndexName": "instance-id-index",
     "KeySchema": [{"AttributeName": "instance_id", "KeyType": "HASH"}],
     "Projection": {"ProjectionType": "ALL"}},
    {"IndexName": "status-created_at-index",
     "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}, {"AttributeName": "created_at", "KeyType": "RANGE"}],
     "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["instance_id"]}}
  ]' >/dev/null
aws dynamodb create-table --table-name runs-fleet-pools \
  --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=pool_name,AttributeType=S \
  --key-schema AttributeName=pool_name,KeyType=HASH >/dev/null

echo "runs-fleet: archive bucket"
aws s3api create-bucket --bucket runs-fleet-archive >/dev/null

echo "runs-fleet: demo fleet"
image=$(aws ec2 describe-images --query 'Images[0].ImageId' --output text)
launch() { # pool, extra tags (Key=..,Value=.. ...)
  local pool="$1"; shift
  aws ec2 run-instances --image-id "$image" --instance-type t3.medium --count 1 \
    --tag-specifications "ResourceType=instance,Tags=[{Key=runs-fleet:managed,Value=true},{Key=runs-fleet:pool,Value=$pool}$*]" \
    --query 'Instances[0].InstanceId' --output text
}
busy=$(launch default ",{Key=Name,Value=demo-busy}")
idle=$(launch default ",{Key=Name,Value=demo-idle}")
protected=$(launch large ",{Key=Name,Value=demo-protected},{Key=runs-fleet:protected,Value=true}")
# Not managed by runs-fleet: no sweep may ever touch it.
aws ec2 run-instances --image-id "$image" --instance-type t3.micro --count 1 \
  --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=not-runs-fleet}]' >/dev/null

for id in "$busy" "$idle" "$protected" i-0deadbeefdeadbeef; do # the last instance no longer exists: stale parameters
  aws ssm put-parameter --name "$PREFIX/$id/config" --type String --value '{"labels":["self-hosted","demo"]}' --overwrite >/dev/null
  aws ssm put-parameter --name "$PREFIX/$id/credential" --type SecureString --value "demo-token-$id" --overwrite >/dev/null
done

# Job records (attribute names: Activities/Jobs/JobRecord.cs; timestamps yyyy-MM-ddTHH:mm:ssZ UTC).
put_job() { aws dynamodb put-item --table-name runs-fleet-jobs --item "$1" >/dev/null; }
put_job "{\"job_id\":{\"N\":\"1001\"},\"instance_id\":{\"S\":\"$busy\"},\"pool\":{\"S\":\"default\"},\"status\":{\"S\":\"running\"},\"started_at\":{\"S\":\"$(ago '5 minutes ago')\"}}"
put_job "{\"job_id\":{\"N\":\"1002\"},\"instance_id\":{\"S\":\"$idle\"},\"pool\":{\"S\":\"default\"},\"status\":{\"S\":\"completed\"},\"started_at\":{\"S\":\"$(ago '50 minutes ago')\"},\"completed_at\":{\"S\":\"$(ago '40 minutes ago')\"},\"exit_code\":{\"N\":\"0\"},\"duration_seconds\":{\"N\":\"600\"}}"
put_job "{\"job_id\":{\"N\":\"1003\"},\"instance_id\":{\"S\":\"$protected\"},\"pool\":{\"S\":\"large\"},\"status\":{\"S\":\"running\"},\"started_at\":{\"S\":\"$(ago '2 minutes ago')\"}}"
# Old enough for OldJobArchival (default retention 7 days).
put_job "{\"job_id\":{\"N\":\"900\"},\"instance_id\":{\"S\":\"i-0aaaaaaaaaaaaaaaa\"},\"pool\":{\"S\":\"default\"},\"status\":{\"S\":\"completed\"},\"started_at\":{\"S\":\"$(ago '10 days ago')\"},\"completed_at\":{\"S\":\"$(ago '10 days ago')\"},\"exit_code\":{\"N\":\"0\"},\"duration_seconds\":{\"N\":\"420\"}}"
put_job "{\"job_id\":{\"N\":\"901\"},\"instance_id\":{\"S\":\"i-0bbbbbbbbbbbbbbbb\"},\"pool\":{\"S\":\"large\"},\"status\":{\"S\":\"failed\"},\"started_at\":{\"S\":\"$(ago '9 days ago')\"},\"completed_at\":{\"S\":\"$(ago '9 days ago')\"},\"exit_code\":{\"N\":\"1\"},\"duration_seconds\":{\"N\":\"95\"}}"

# Pools (key pool_name; attribute names: Activities/Sweeps/PoolAudit/PoolsTable.cs).
aws dynamodb put-item --table-name runs-fleet-pools --item '{"pool_name":{"S":"default"},"instance_type":{"S":"t3.medium"},"desired_running":{"N":"2"},"desired_stopped":{"N":"1"},"ebs_volume_gb":{"N":"30"}}' >/dev/null
aws dynamodb put-item --table-name runs-fleet-pools --item '{"pool_name":{"S":"large"},"instance_type":{"S":"c6i.2xlarge"},"desired_running":{"N":"1"},"desired_stopped":{"N":"0"},"ebs_volume_gb":{"N":"100"}}' >/dev/null

echo "runs-fleet: seeded instances busy=$busy idle=$idle protected=$protected"
touch /tmp/runs-fleet-seeded
