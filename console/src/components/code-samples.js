import { html } from 'htm/preact';
import { parseArn } from '../lib/arn.js';

export function CodeSamples({ versionArn }) {
  const endpoint = location.origin;
  const region = parseArn(versionArn).region || 'us-east-1';
  const cli = `aws rekognition detect-custom-labels \\
    --endpoint-url ${endpoint} --region ${region} \\
    --project-version-arn '${versionArn}' \\
    --image-bytes fileb://photo.jpg \\
    --min-confidence 50`;
  const py = `import boto3

client = boto3.client("rekognition", endpoint_url="${endpoint}", region_name="${region}")
with open("photo.jpg", "rb") as f:
    response = client.detect_custom_labels(
        ProjectVersionArn="${versionArn}",
        Image={"Bytes": f.read()},
        MinConfidence=50,
    )
for label in response["CustomLabels"]:
    print(label["Name"], round(label["Confidence"], 1), label.get("Geometry", {}).get("BoundingBox"))`;
  return html`
    <section class="card" data-testid="code-samples">
      <h2>Use it from code</h2>
      <p class="muted">With the same access key as this console (aws configure).</p>
      <h3>AWS CLI</h3>
      <pre data-testid="code-cli">${cli}</pre>
      <h3>Python (boto3)</h3>
      <pre data-testid="code-boto3">${py}</pre>
    </section>`;
}
