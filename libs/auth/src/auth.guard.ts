import { Inject, Injectable, SetMetadata, createParamDecorator, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthorizedError } from '@softphone/errors';
import type { Principal, Role } from './principal.js';
import type { TokenVerifier } from './tokens.js';

const PUBLIC = 'auth:public';
const ROLES_KEY = 'auth:roles';

/** The route needs no token (health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC, true);

/** Only these roles may call the route (every authenticated role when absent). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * Who may call a route, from its decorators (the method's override the class's):
 * what the guard enforces, and what the OpenAPI document states.
 */
export function routeAccess(handler: Type | ((...args: never[]) => unknown), controller: Type): { public: boolean; roles?: Role[] } {
  const reflector = new Reflector();
  return {
    public: reflector.getAllAndOverride<boolean | undefined>(PUBLIC, [handler, controller]) === true,
    roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [handler, controller]),
  };
}

/** The verified caller of the current request. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<{ principal: Principal }>().principal;
});

/** Injection token of the service's TokenVerifier (public keys only). */
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

/** Verifies the bearer token of every request (401) and the route's roles (403). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verify: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const header = request.headers.authorization;
    if (!header) throw new UnauthorizedError('AUTH_TOKEN_MISSING', 'an Authorization: Bearer token is required');
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new UnauthorizedError('AUTH_TOKEN_INVALID', 'the Authorization header must be "Bearer <token>"');
    }
    request.principal = await this.verify(token);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(request.principal.role)) {
      throw new ForbiddenError('AUTH_ROLE_FORBIDDEN', `this operation needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
