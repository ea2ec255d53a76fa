#!/usr/bin/env bash
# The deploy pipeline's CloudFormation steps, with the runner's AWS CLI only (nothing installed in a
# job that holds credentials). GitHub step outputs go to $GITHUB_OUTPUT, the change set to
# $GITHUB_STEP_SUMMARY (both default to stdout off GitHub).
#   package ENV BUCKET SIGNING_PROFILE   package .aws-sam/build once under ENV's prefix (prod: promoted/),
#                                        each package signed and its version pinned; prints template-url=
#   create ENV TEMPLATE_URL CFN_ROLE_ARN change set of that template for samconfig's ENV, not executed;
#                                        prints change-set-arn= (empty when nothing changes)
#   execute CHANGE_SET_ARN               executes exactly that change set and waits for the stack
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out=${GITHUB_OUTPUT:-/dev/stdout}
summary=${GITHUB_STEP_SUMMARY:-/dev/stdout}
die() { echo "changeset.sh: $*" >&2; exit 2; }

case ${1:-} in
  package)
    env=${2:?environment} bucket=${3:?bucket} profile=${4:?signing profile}
    # the bootstrap's Packages mapping: prod deploys only from what the promotion wrote
    case $env in staging) prefix=kfood-ops ;; prod) prefix=promoted ;; *) die "unknown environment: $env" ;; esac
    sha=${GITHUB_SHA:-$(git rev-parse HEAD)}
    [ -f .aws-sam/build/template.yaml ] || die "no .aws-sam/build/template.yaml: run sam build first"
    aws cloudformation package --template-file .aws-sam/build/template.yaml --s3-bucket "$bucket" \
      --s3-prefix "$prefix/$sha/unsigned" --use-json --output-template-file packaged.json
    python3 tools/pipeline/sign.py packaged.json "$bucket" "$prefix/$sha/signed/" "$profile" > signed.json
    aws s3 cp signed.json "s3://$bucket/$prefix/$sha/packaged.json"
    region=$(aws configure get region || echo "${AWS_REGION:?}")
    echo "template-url=https://$bucket.s3.$region.amazonaws.com/$prefix/$sha/packaged.json" >> "$out"
    ;;
  create)
    env=${2:?environment} url=${3:?template url} role=${4:?CloudFormation service role arn}
    stack=$(python3 tools/pipeline/samconfig.py "$env" stack-name)
    mapfile -t params < <(python3 tools/pipeline/samconfig.py "$env" parameters)
    type=UPDATE
    aws cloudformation describe-stacks --stack-name "$stack" >/dev/null 2>&1 || type=CREATE
    name="deploy-$(echo "${GITHUB_SHA:-$(git rev-parse HEAD)}" | cut -c1-12)-${GITHUB_RUN_ID:-local}-${GITHUB_RUN_ATTEMPT:-1}"
    arn=$(aws cloudformation create-change-set --stack-name "$stack" --change-set-name "$name" \
      --change-set-type "$type" --template-url "$url" --parameters "${params[@]}" \
      --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --role-arn "$role" \
      --tags "Key=Environment,Value=$env" "Key=Service,Value=kfood-ops" --query Id --output text)
    if ! aws cloudformation wait change-set-create-complete --change-set-name "$arn"; then
      reason=$(aws cloudformation describe-change-set --change-set-name "$arn" --query StatusReason --output text)
      case $reason in
        *"didn't contain changes"*|*"No updates are to be performed"*)
          echo "### $stack: no changes" >> "$summary"
          echo "change-set-arn=" >> "$out"
          exit 0 ;;
        *) die "change set $name failed: $reason" ;;
      esac
    fi
    # every property that changes, policies, permissions and code called out (tools/pipeline/summary.py)
    python3 tools/pipeline/summary.py --arn "$arn" >> "$summary"
    echo "change-set-arn=$arn" >> "$out"
    ;;
  execute)
    arn=${2:-}
    [ -n "$arn" ] || { echo "changeset.sh: no change set (nothing changed)"; exit 0; }
    stack=$(aws cloudformation describe-change-set --change-set-name "$arn" --query StackId --output text)
    aws cloudformation execute-change-set --change-set-name "$arn"
    while :; do
      status=$(aws cloudformation describe-stacks --stack-name "$stack" --query 'Stacks[0].StackStatus' --output text)
      case $status in
        *_IN_PROGRESS) sleep 15 ;;
        CREATE_COMPLETE|UPDATE_COMPLETE) echo "changeset.sh: $status"; exit 0 ;;
        *) die "stack ended $status: aws cloudformation describe-stack-events --stack-name $stack" ;;
      esac
    done
    ;;
  *) die "usage: changeset.sh package ENV BUCKET SIGNING_PROFILE | create ENV TEMPLATE_URL CFN_ROLE_ARN | execute CHANGE_SET_ARN" ;;
esac
