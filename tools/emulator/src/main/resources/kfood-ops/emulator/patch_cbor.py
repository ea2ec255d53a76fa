"""CloudWatch over the Smithy RPC v2 CBOR protocol, which the AWS SDK for Java v2 uses for it and
   moto does not speak (it answers 404): each such request is translated, by botocore's own models,
   parsers and serializers, to the JSON protocol moto does speak, and the answer back to CBOR. The
   translated request is still authorised as its caller (its signature, computed over the CBOR body,
   is not checked again). moto authorises CloudWatch calls as "monitoring:<Action>" (its signing
   name); IAM's prefix is "cloudwatch", as the policies say.
"""
import gzip
import io
import json
import re
import struct

import botocore.model
import botocore.session
from botocore import parsers as _parsers, serialize as _serialize
from moto.iam.access_control import IAMRequest
from moto.moto_server.werkzeug_app import DomainDispatcherApplication

from wrapper_util import as_datetime

_CBOR_PATH = re.compile(r"^/service/([A-Za-z0-9]+)/operation/([A-Za-z0-9]+)$")
_CBOR_SERVICES = {"GraniteServiceVersion20100801": "cloudwatch"}
_TRANSLATED = "X-Kfood-Ops-Translated"
_BOTOCORE = botocore.session.get_session()
_ERROR_SHAPE = botocore.model.StructureShape(
    "Error", {"type": "structure", "members": {"__type": {"shape": "S"}, "message": {"shape": "S"}}},
    botocore.model.ShapeResolver({"S": {"type": "string"}}))


class _ResponseCbor(_serialize.RpcV2CBORSerializer):
    """botocore's CBOR writer (made for requests), with timestamps to the millisecond as AWS answers them."""

    def _serialize_type_timestamp(self, serialized, value, shape, key):
        seconds = as_datetime(value).timestamp()
        serialized.extend(self._get_initial_byte(self.TAG_MAJOR_TYPE, 1))  # tag 1: epoch-based time
        serialized.extend(self._get_initial_byte(self.FLOAT_AND_SIMPLE_MAJOR_TYPE, 27) + struct.pack(">d", seconds))


def _cbor(shape, value):
    out = bytearray()
    _ResponseCbor()._serialize_data_item(out, value, shape)
    return bytes(out)


def _via_json(app, environ, start_response, service, operation_name):
    operation = _BOTOCORE.get_service_model(service).operation_model(operation_name)
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    if environ.get("HTTP_CONTENT_ENCODING") == "gzip":  # the SDKs compress large PutMetricData bodies
        body = gzip.decompress(body)
    params = {}
    if body and operation.input_shape is not None:
        params = _parsers.RpcV2CBORParser().parse({"body": body, "headers": {}, "status_code": 200},
                                                  operation.input_shape)
        params.pop("ResponseMetadata", None)
    # to the millisecond, as the caller sent them (a history query ending at a state change must include it)
    request = _serialize.JSONSerializer(_serialize.TIMESTAMP_PRECISION_MILLISECOND).serialize_to_request(
        params, operation)
    json_body = request["body"] if isinstance(request["body"], bytes) else request["body"].encode()
    inner = {k: v for k, v in environ.items() if k != "HTTP_CONTENT_ENCODING"}
    inner.update({"PATH_INFO": "/", "REQUEST_URI": "/", "RAW_URI": "/", "wsgi.input": io.BytesIO(json_body),
                  "CONTENT_LENGTH": str(len(json_body)), "CONTENT_TYPE": request["headers"]["Content-Type"],
                  "HTTP_X_AMZ_TARGET": request["headers"]["X-Amz-Target"],
                  "HTTP_" + _TRANSLATED.upper().replace("-", "_"): "cbor"})
    answer = {}

    def capture(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, headers
        return lambda data: None

    chunks = app(inner, capture)
    text = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    code = int(answer["status"].split()[0])
    if code < 300:
        out = {}
        if operation.output_shape is not None and text:
            out = _parsers.JSONParser().parse({"body": text, "headers": {}, "status_code": code},
                                              operation.output_shape)
            out.pop("ResponseMetadata", None)
        payload = _cbor(operation.output_shape, out) if operation.output_shape is not None else b"\xa0"
    else:
        try:
            error = json.loads(text or b"{}")
        except ValueError:
            error = {}
        kind = str(error.get("__type") or error.get("code") or "InternalFailure").split("#")[-1]
        payload = _cbor(_ERROR_SHAPE, {"__type": kind, "message": str(error.get("message") or error.get("Message") or "")})
    start_response(answer["status"], [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"),
                                      ("Content-Length", str(len(payload)))])
    return [payload]


_dispatch = DomainDispatcherApplication.__call__


def _dispatch_cbor_too(self, environ, start_response):
    match = _CBOR_PATH.match(environ.get("PATH_INFO", ""))
    if match and match.group(1) in _CBOR_SERVICES:
        return _via_json(lambda e, s: _dispatch(self, e, s), environ, start_response,
                         _CBOR_SERVICES[match.group(1)], match.group(2))
    return _dispatch(self, environ, start_response)


_check_signature = IAMRequest.check_signature


def _check_untranslated_signature(self):
    if self._headers.get(_TRANSLATED) is None:  # a translated request's signature covers its CBOR body
        _check_signature(self)


def apply():
    DomainDispatcherApplication.__call__ = _dispatch_cbor_too
    IAMRequest.check_signature = _check_untranslated_signature
