"""Lists a unionhub server's services and methods through gRPC server
reflection (see scripts/reflect). Debian ships no reflection client, so the
two reflection messages used are encoded by hand."""
import argparse
import os
import sys

REFLECTION = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field(number, payload):
    """A length-delimited field."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def fields(data):
    """(number, value) of each field of a message; value is bytes for
    length-delimited fields, an int otherwise."""
    i = 0
    while i < len(data):
        key, i = read_varint(data, i)
        number, kind = key >> 3, key & 7
        if kind == 2:
            length, i = read_varint(data, i)
            yield number, data[i:i + length]
            i += length
        elif kind == 0:
            value, i = read_varint(data, i)
            yield number, value
        else:
            raise ValueError(f"unexpected wire type {kind}")


def read_varint(data, i):
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


def main():
    root = sys.argv[1]
    parser = argparse.ArgumentParser(prog="scripts/reflect")
    parser.add_argument("target", nargs="?", default="127.0.0.1:50051",
                        help="HOST:PORT (default: membership on the local stack)")
    parser.add_argument("--ca", default=os.environ.get(
        "UNIONHUB_CA_FILE", os.path.join(root, ".local/secrets/ca.pem")))
    parser.add_argument("--plaintext", action="store_true")
    args = parser.parse_args(sys.argv[2:])
    import grpc
    from google.protobuf import descriptor_pb2

    if args.plaintext:
        channel = grpc.insecure_channel(args.target)
    else:
        with open(args.ca, "rb") as f:
            channel = grpc.secure_channel(
                args.target, grpc.ssl_channel_credentials(root_certificates=f.read()))
    call = channel.stream_stream(REFLECTION, request_serializer=lambda b: b,
                                 response_deserializer=lambda b: b)

    def ask(request):
        (response,) = list(call(iter([request]), timeout=10))
        return dict((n, v) for n, v in fields(response) if n in (4, 6, 7))

    # list_services (field 7) -> list_services_response (6) -> service (1)
    listed = ask(field(7, b"*"))[6]
    names = [dict(fields(s))[1].decode() for n, s in fields(listed) if n == 1]
    for name in sorted(names):
        print(name)
        if name.startswith("grpc."):
            continue
        # file_containing_symbol (4) -> file_descriptor_response (4)
        answer = ask(field(4, name.encode()))[4]
        package, _, short = name.rpartition(".")
        for n, blob in fields(answer):
            if n != 1:
                continue
            fd = descriptor_pb2.FileDescriptorProto.FromString(blob)
            for service in fd.service:
                if fd.package != package or service.name != short:
                    continue
                for m in service.method:
                    stream_in = "stream " if m.client_streaming else ""
                    stream_out = "stream " if m.server_streaming else ""
                    print(f"  {m.name}({stream_in}{m.input_type.lstrip('.')}) "
                          f"returns ({stream_out}{m.output_type.lstrip('.')})")


if __name__ == "__main__":
    main()
