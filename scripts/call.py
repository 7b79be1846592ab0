"""JSON-in/JSON-out gRPC client for unionhub (see scripts/call)."""
import argparse
import importlib
import json
import os
import sys
import tempfile

SERVICES = {
    "membership": ("unionhub.membership.v1", "MembershipService",
                   "unionhub/membership/v1/membership.proto", 50051),
    "membership-audit": ("unionhub.common.v1", "AuditTrailService",
                         "unionhub/common/v1/audit_trail.proto", 50051),
    "finance": ("unionhub.finance.v1", "FinanceService",
                "unionhub/finance/v1/finance.proto", 50052),
    "audit": ("unionhub.finance.v1", "AuditService",
              "unionhub/finance/v1/finance.proto", 50052),
    "finance-audit-trail": ("unionhub.common.v1", "AuditTrailService",
                            "unionhub/common/v1/audit_trail.proto", 50052),
    "awards": ("unionhub.awards.v1", "AwardsService",
               "unionhub/awards/v1/awards.proto", 50053),
    "competition": ("unionhub.awards.v1", "CompetitionService",
                    "unionhub/awards/v1/competition.proto", 50053),
    "awards-audit-trail": ("unionhub.common.v1", "AuditTrailService",
                           "unionhub/common/v1/audit_trail.proto", 50053),
}


def main():
    root = sys.argv[1]
    parser = argparse.ArgumentParser(prog="scripts/call")
    parser.add_argument("service", choices=sorted(SERVICES))
    parser.add_argument("method")
    parser.add_argument("request", nargs="?", default="{}",
                        help="request as JSON, or @file.json")
    parser.add_argument("--target", help="HOST:PORT (default: local stack)")
    parser.add_argument("--limit", type=int, default=0,
                        help="stop a server stream after N messages")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--token", default=os.environ.get("UNIONHUB_TOKEN", ""),
                        help="bearer token (default: $UNIONHUB_TOKEN)")
    parser.add_argument("--ca", default=os.environ.get(
        "UNIONHUB_CA_FILE", os.path.join(root, ".local/secrets/ca.pem")),
                        help="CA of the server certificate")
    parser.add_argument("--plaintext", action="store_true",
                        help="no TLS (servers started for development only)")
    args = parser.parse_args(sys.argv[2:])

    try:
        import grpc
        from grpc_tools import protoc
        from google.protobuf import json_format
    except ImportError:
        sys.exit("needs Debian's python3-grpcio and python3-grpc-tools "
                 "(apt-get install python3-grpcio python3-grpc-tools)")

    package, service, proto, port = SERVICES[args.service]
    out = tempfile.mkdtemp(prefix="unionhub-call-")
    include = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    for candidate in (include, "/usr/include"):
        if os.path.exists(os.path.join(candidate, "google/protobuf/any.proto")):
            include = candidate
            break
    # Every file: a proto may import another area's (awards imports
    # membership's enums).
    all_protos = sorted(
        os.path.join(d, f) for d, _, files in os.walk(os.path.join(root, "proto"))
        for f in files if f.endswith(".proto"))
    code = protoc.main(["protoc", f"-I{root}/proto", f"-I{include}",
                        f"--python_out={out}", f"--grpc_python_out={out}",
                        *all_protos])
    if code != 0:
        sys.exit("protoc failed")
    sys.path.insert(0, out)
    module = proto[:-len(".proto")].replace("/", ".")
    messages = importlib.import_module(module + "_pb2")
    stubs = importlib.import_module(module + "_pb2_grpc")

    descriptor = messages.DESCRIPTOR.services_by_name[service]
    method = descriptor.methods_by_name.get(args.method)
    if method is None:
        sys.exit(f"no method {args.method}; methods: "
                 + ", ".join(m.name for m in descriptor.methods))
    text = args.request
    if text.startswith("@"):
        with open(text[1:], encoding="utf-8") as f:
            text = f.read()
    request_class = getattr(messages, method.input_type.name)
    target = args.target or f"127.0.0.1:{port}"
    if args.plaintext:
        channel = grpc.insecure_channel(target)
    else:
        with open(args.ca, "rb") as f:
            credentials = grpc.ssl_channel_credentials(root_certificates=f.read())
        channel = grpc.secure_channel(target, credentials)
    metadata = [("authorization", "Bearer " + args.token)] if args.token else []
    stub = getattr(stubs, service + "Stub")(channel)
    call = getattr(stub, args.method)

    def show(message):
        print(json_format.MessageToJson(message, ensure_ascii=False,
                                        preserving_proto_field_name=True))

    try:
        if method.client_streaming:
            items = json.loads(text)
            if not isinstance(items, list):
                sys.exit("a client stream takes a JSON list of messages")
            requests = (json_format.ParseDict(i, request_class()) for i in items)
            show(call(requests, timeout=args.timeout, metadata=metadata))
        elif method.server_streaming:
            request = json_format.Parse(text, request_class())
            stream = call(request, timeout=args.timeout, metadata=metadata)
            for n, message in enumerate(stream, 1):
                show(message)
                if args.limit and n >= args.limit:
                    break
        else:
            show(call(json_format.Parse(text, request_class()),
                      timeout=args.timeout, metadata=metadata))
    except grpc.RpcError as error:
        print(f"{error.code().name}: {error.details()}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
