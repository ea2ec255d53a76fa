"""patch_cbor: CloudWatch over Smithy RPC v2 CBOR (as the AWS SDK for Java v2 speaks it), translated to
the JSON protocol moto speaks and back, answers and errors alike; a gzip body is read too."""
import gzip
import unittest
import urllib.error
import urllib.request

import botocore.session
from botocore import parsers, serialize
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from emulator_server import REGION, OnServer

MODEL = botocore.session.get_session().get_service_model("cloudwatch")


class CborTest(OnServer):
    def call(self, operation, params, gzipped=False):
        """One CBOR request, signed as the SDK signs it; (status, parsed answer)."""
        model = MODEL.operation_model(operation)
        request = serialize.create_serializer("smithy-rpc-v2-cbor").serialize_to_request(params, model)
        body = request["body"]
        headers = dict(request["headers"])
        if gzipped:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        aws = AWSRequest(method="POST", url=self.server.endpoint + request["url_path"], data=body, headers=headers)
        SigV4Auth(Credentials("test", "test"), "monitoring", REGION).add_auth(aws)
        http = urllib.request.Request(aws.url, data=body, method="POST", headers=dict(aws.headers))
        try:
            with urllib.request.urlopen(http, timeout=10) as answer:
                status, raw, answer_headers = answer.status, answer.read(), dict(answer.headers)
        except urllib.error.HTTPError as e:
            status, raw, answer_headers = e.code, e.read(), dict(e.headers)
        self.assertEqual("application/cbor", answer_headers.get("Content-Type"))
        parsed = parsers.create_parser("smithy-rpc-v2-cbor").parse(
            {"body": raw, "headers": answer_headers, "status_code": status}, model.output_shape)
        return status, parsed

    def test_a_request_and_its_answer_are_translated(self):
        status, _ = self.call("PutMetricAlarm", {
            "AlarmName": "kfood-cbor", "MetricName": "Errors", "Namespace": "KFood", "Statistic": "Sum",
            "Period": 60, "EvaluationPeriods": 1, "Threshold": 1.0,
            "ComparisonOperator": "GreaterThanThreshold"})
        self.assertEqual(200, status)
        status, answer = self.call("DescribeAlarms", {"AlarmNames": ["kfood-cbor"]})
        self.assertEqual(200, status)
        alarm = answer["MetricAlarms"][0]
        self.assertEqual("kfood-cbor", alarm["AlarmName"])
        self.assertEqual(1.0, alarm["Threshold"])
        self.assertIsNotNone(alarm["StateUpdatedTimestamp"].tzinfo)  # a CBOR timestamp, not text

    def test_a_gzip_body_is_read(self):
        status, _ = self.call("PutMetricData", {"Namespace": "KFood", "MetricData": [
            {"MetricName": "Zipped", "Value": 3.0}]}, gzipped=True)
        self.assertEqual(200, status)
        _, answer = self.call("ListMetrics", {"Namespace": "KFood", "MetricName": "Zipped"})
        self.assertEqual(["Zipped"], [m["MetricName"] for m in answer["Metrics"]])

    def test_an_error_is_answered_in_cbor_with_its_type(self):
        status, answer = self.call("SetAlarmState", {
            "AlarmName": "no-such-alarm", "StateValue": "ALARM", "StateReason": "test"})
        self.assertEqual(404, status)
        self.assertEqual("ResourceNotFound", answer["Error"]["Code"])


if __name__ == "__main__":
    unittest.main()
