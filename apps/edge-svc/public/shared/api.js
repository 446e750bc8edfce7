// REST over the edge: /api/<service>/<path>, with the bearer token; errors keep the services' error shape.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? 'HTTP_ERROR';
    this.field = body?.field;
  }
}

export function api(token) {
  const call = async (method, service, path, body) => {
    const response = await fetch(`/api/${service}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) throw new ApiError(response.status, json);
    return json;
  };
  return {
    get: (service, path) => call('GET', service, path),
    post: (service, path, body = {}) => call('POST', service, path, body),
  };
}
