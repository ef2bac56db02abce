// ICR's own API on each registry host: GET /api/v1/namespaces, PUT /api/v1/namespaces/{name} and
// GET /api/v1/quotas, with an IAM access token and the Account header, under ICR's role rules.
// Errors use ICR's shape {code, message, request-id}. CRG0014E (authentication failed) is ICR's;
// the other CRG codes here are NOT verified against IBM and stand in for ICR's real ones.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Policy, Subject } from '../iam/types.ts';
import type { Iam } from '../iam/token-endpoint.ts';
import type { Directory } from '../iam/identities.ts';
import type { Region } from '../registry/regions.ts';
import { NAMESPACE_LIMIT, NAMESPACE_NAME } from '../registry/regions.ts';
import { accountLevel, covers, hasRole } from '../iam/policies.ts';
import { parseBearer, sendJson } from '../net/http-util.ts';
import { callerAddress } from '../iam/addresses.ts';

const NOT_AUTHORIZED = 'You are not authorized to access the specified resource.';

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { code, message, 'request-id': randomUUID() });
}

export class IcrApi {
  private readonly iam: Iam;
  private readonly dir: Directory;

  constructor(iam: Iam, dir: Directory) {
    this.iam = iam;
    this.dir = dir;
  }

  handle(req: IncomingMessage, res: ServerResponse, region: Region): void {
    req.resume();
    const path = new URL(req.url ?? '/', 'https://registry').pathname;
    const nsPath = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path);
    const route = path === '/api/v1/namespaces' ? 'list' : path === '/api/v1/quotas' ? 'quotas' : nsPath ? 'create' : undefined;
    if (!route) return fail(res, 404, 'CRG0404E', 'The requested resource was not found.');
    const method = route === 'create' ? 'PUT' : 'GET';
    if (req.method !== method) {
      return sendJson(res, 405, { code: 'CRG0405E', message: 'Method not allowed.', 'request-id': randomUUID() }, { Allow: method });
    }
    const subject = this.authenticate(req);
    if (!subject) return fail(res, 401, 'CRG0014E', 'You are not authorized to access the specified account.');
    // A context-based restriction refuses from outside its zone as a missing role is refused.
    const namespace = route === 'create' ? decodeURIComponent(nsPath?.[1] ?? '') : undefined;
    if (!this.dir.restrictions.registryAllowed(subject.accountId, region.name, namespace, callerAddress(req.socket.remoteAddress))) {
      return fail(res, 403, 'CRG0003E', NOT_AUTHORIZED);
    }
    if (route === 'list') return this.list(res, region, subject);
    if (route === 'quotas') return this.quotas(res, region, subject);
    return this.create(req, res, region, subject, decodeURIComponent(nsPath?.[1] ?? ''));
  }

  /** The token must be one our IAM issued and unexpired, and the Account header its account.bss. */
  private authenticate(req: IncomingMessage): Subject | undefined {
    const token = parseBearer(req.headers.authorization);
    const subject = token ? this.iam.verifyAccessToken(token) : undefined;
    return subject && req.headers.account === subject.accountId ? subject : undefined;
  }

  /** Needs Reader or Manager; lists only the namespaces such a policy reaches. */
  private list(res: ServerResponse, region: Region, subject: Subject): void {
    const roles = ['Reader', 'Manager'] as const;
    if (!hasRole(subject, roles, (p) => p.region === undefined || p.region === region.name)) {
      return fail(res, 403, 'CRG0003E', NOT_AUTHORIZED);
    }
    const visible = region
      .namespaces(subject.accountId)
      .filter((ns) => hasRole(subject, roles, (p) => covers(p, region.name, ns)))
      .map((ns) => ns.name);
    sendJson(res, 200, visible);
  }

  /** Any role, but only on the account or region: a policy narrowed to a namespace or resource group is refused. */
  private quotas(res: ServerResponse, region: Region, subject: Subject): void {
    if (!hasRole(subject, ['Reader', 'Writer', 'Manager'], (p) => accountLevel(p, region.name))) {
      return fail(res, 403, 'CRG0003E', NOT_AUTHORIZED);
    }
    sendJson(res, 200, region.quota(subject.accountId));
  }

  /**
   * Needs Manager on the whole account: one scoped to a region, a namespace or a resource group is
   * refused (ICR docs, iam.md: adding a namespace needs Manager at account level). Names are unique in
   * the region across accounts.
   */
  private create(req: IncomingMessage, res: ServerResponse, region: Region, subject: Subject, name: string): void {
    const wholeAccount = (p: Policy): boolean => p.region === undefined && accountLevel(p, region.name);
    if (!hasRole(subject, ['Manager'], wholeAccount)) return fail(res, 403, 'CRG0003E', NOT_AUTHORIZED);
    if (!NAMESPACE_NAME.test(name)) {
      return fail(
        res,
        400,
        'CRG0010E',
        'The namespace name is not valid. Use 4 to 30 characters: lowercase letters, numbers, hyphens (-) and underscores (_), starting and ending with a letter or number.',
      );
    }
    const held = region.namespace(name);
    if (held && held.accountId === subject.accountId) return sendJson(res, 200, { namespace: name });
    if (held) return fail(res, 409, 'CRG0004E', 'The requested namespace is already in use in this registry region. Choose another name.');
    if (region.namespaces(subject.accountId).length >= NAMESPACE_LIMIT) {
      return fail(res, 403, 'CRG0012E', `You reached the maximum of ${NAMESPACE_LIMIT} namespaces in this region.`);
    }
    // Viewer on the resource group is an IAM platform role: not modelled, the group must only exist.
    const group = req.headers['x-auth-resource-group'];
    const groups = this.dir.resourceGroups.get(subject.accountId);
    const resourceGroup = typeof group === 'string' && group !== '' ? group : this.dir.accountOf(subject.accountId).resourceGroup;
    if (!groups?.has(resourceGroup)) return fail(res, 400, 'CRG0011E', 'The resource group that you specified cannot be found.');
    region.addNamespace(name, { accountId: subject.accountId, resourceGroup });
    sendJson(res, 201, { namespace: name });
  }
}
