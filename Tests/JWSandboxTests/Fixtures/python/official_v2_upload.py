"""Drives a sandbox with the official client jwplatform==2.2.2's v2 upload helpers.

Usage: official_v2_upload.py HOST SITE_ID DIRECT_FILE MULTIPART_FILE
The v2 secret comes from JW_V2_API_SECRET; the sandbox must serve TLS on HOST:443 and SSL_CERT_FILE must
name its CA (the client always speaks HTTPS on port 443).

1. A direct upload (a file no larger than the part size) with Media.upload.
2. A multipart upload in parts of 5 MiB that fails after its first part (the second part's PUT raises,
   as a dropped connection would, with retry_count=1), then Media.resume: the client lists the parts,
   skips the one the platform holds (its etag is the local part's MD5) and sends the rest, then completes.

Prints one JSON line: {"direct": MEDIA_ID, "multipart": MEDIA_ID, "failed_first": true}.
"""
import json
import os
import sys

import jwplatform.upload as upload_module
from jwplatform.client import JWPlatformClient

host, site_id, direct_path, multipart_path = sys.argv[1:5]
client = JWPlatformClient(secret=os.environ["JW_V2_API_SECRET"], host=host)
part_size = 5 * 1024 * 1024
result = {}

with open(direct_path, "rb") as file:
    context = client.Media.create_media_and_get_upload_context(
        file, body={"upload": {}, "metadata": {"title": "official direct"}}, site_id=site_id,
        target_part_size=part_size)
    assert context.upload_method == "direct", context.upload_method
    client.Media.upload(file, context, base_url=host, target_part_size=part_size)

# The media id of the direct upload: the newest media titled "official direct".
listed = client.Media.list(site_id=site_id, query_params={"q": 'title: "official direct"'}).json_body
result["direct"] = listed["media"][0]["id"]

original = upload_module._upload_to_s3
calls = {"count": 0}


def failing_second_put(*args, **kwargs):
    calls["count"] += 1
    if calls["count"] == 2:
        raise upload_module.S3UploadError("dropped connection (injected by the test)")
    return original(*args, **kwargs)


with open(multipart_path, "rb") as file:
    context = client.Media.create_media_and_get_upload_context(
        file, body={"upload": {}, "metadata": {"title": "official multipart"}}, site_id=site_id,
        target_part_size=part_size)
    assert context.upload_method == "multipart", context.upload_method
    upload_module._upload_to_s3 = failing_second_put
    try:
        client.Media.upload(file, context, base_url=host, target_part_size=part_size, retry_count=1)
        result["failed_first"] = False
    except Exception:
        result["failed_first"] = True
    finally:
        upload_module._upload_to_s3 = original
    file.seek(0)
    client.Media.resume(file, context, base_url=host, target_part_size=part_size)

listed = client.Media.list(site_id=site_id, query_params={"q": 'title: "official multipart"'}).json_body
result["multipart"] = listed["media"][0]["id"]
print(json.dumps(result))
