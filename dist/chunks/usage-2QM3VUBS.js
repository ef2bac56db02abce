var e=`Usage: icr-login [login] [options]
       icr-login logout [--quiet]

Logs docker, podman, buildah and skopeo (or docker's config.json, without docker) into IBM Cloud
Container Registry, and out again.
The API key comes from IBMCLOUD_API_KEY (or ICR_API_KEY), or from stdin with --api-key-stdin; never from argv.
On IBM Cloud compute, --identity vpc or container logs in with no key at all (the key variables are then not read).
An entitlement key for IBM's entitled registry comes from IBM_ENTITLEMENT_KEY, or from stdin with
--entitlement-key-stdin; with it alone, only the entitled registry is logged in.

Options (each matches the GitHub Action input of the same name):
  --region LIST             ICR regions, e.g. us-south,eu-de (default: us-south, unless --registry
                            is given or --images names its hosts)
  --registry LIST           registry hosts to use instead of --region
  --private-endpoint        use private.* domains and IAM's private endpoint
  --clients LIST, --client  docker, podman, buildah, skopeo, docker-config, or auto (default: auto:
                            every one on PATH, and docker-config where docker is not)
  --auth-type TYPE          apikey | bearer | refresh (default: apikey)
  --identity KIND           api-key | vpc (a VPC virtual server) | container (a pod) (default: api-key)
  --trusted-profile ID      log in as this trusted profile: an ID (api-key, with auth-type apikey),
                            an ID or CRN (vpc; default: the instance's), or an ID, CRN or name (container)
  --metadata-endpoint URL   the VPC metadata service (vpc; default: http://169.254.169.254)
  --cr-token-file PATH      the compute-resource token (container; default: the first of the SDKs' paths)
  --iam-endpoint URL        IAM base URL (default: https://iam.cloud.ibm.com)
  --isolate                 keep credentials in files of their own; prints DOCKER_CONFIG and REGISTRY_AUTH_FILE
  --logout BOOL             false: icr-login logout leaves this login in place (default: true)
  --timeout SECONDS         time limit for each client command (default: 60)
  --missing-key fail|skip   what an empty key does (default: fail)
  --images LIST             check access to these namespace/name repositories on every host, or to
                            HOST/namespace/name[:tag] on that host (logged in to as well)
  --access push|pull        what the images check demands (default: push)
  --create-namespace        create a namespace of --images missing in a region (needs Manager)
  --entitled-registry HOST  IBM's entitled registry for the entitlement key (default: cp.icr.io)
  --api-key-stdin           read the API key from stdin
  --entitlement-key-stdin   read the entitlement key from stdin (not with --api-key-stdin)
  --quiet                   print errors only
  -h, --help                this text
  -v, --version             the version

Exit codes: 0 logged in (or out), 1 a login or logout failed, 2 a usage error.
Outputs are printed to stdout as name=value lines.`;export{e as USAGE};
//# sourceMappingURL=usage-2QM3VUBS.js.map
