export interface HttpResult<T = any> {
  status: number;
  body: T;
}

/** A tiny JSON client for the REST APIs under test (global fetch). */
export class HttpClient {
  constructor(readonly baseUrl: string) {}

  get<T = any>(path: string, token?: string): Promise<HttpResult<T>> {
    return this.request('GET', path, undefined, token);
  }
  post<T = any>(path: string, body: unknown, token?: string): Promise<HttpResult<T>> {
    return this.request('POST', path, body, token);
  }
  put<T = any>(path: string, body: unknown, token?: string): Promise<HttpResult<T>> {
    return this.request('PUT', path, body, token);
  }
  delete<T = any>(path: string, token?: string): Promise<HttpResult<T>> {
    return this.request('DELETE', path, undefined, token);
  }

  async request<T>(method: string, path: string, body: unknown, token?: string): Promise<HttpResult<T>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}
