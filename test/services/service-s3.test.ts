// The service end to end with S3 storage: an s3rver of our own on a free port, reached through @aws-sdk/client-s3.
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
// @ts-expect-error s3rver has no type declarations
import S3rver from 's3rver';
import { serviceFlow } from '../helpers/service-flow.js';
import { freePort } from '../helpers/services.js';

await serviceFlow(async (dir) => {
  const port = await freePort();
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    silent: true,
    directory: path.join(dir, 's3'),
    configureBuckets: [{ name: 'heaps' }],
  });
  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    env: { HEAPSIGHT_STORAGE: 's3://heaps/dumps', S3_ENDPOINT: endpoint, ...credentials },
    snapshotObjects: async () => {
      const r = await client.send(
        new ListObjectsV2Command({ Bucket: 'heaps', Prefix: 'dumps/projects/shop/snapshots/' }),
      );
      return (r.Contents ?? []).map((o) => o.Key!).sort();
    },
    stop: async () => {
      client.destroy();
      await server.close();
    },
  };
});
