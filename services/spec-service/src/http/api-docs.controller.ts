// Serves the OpenAPI document (JSON) at /api/docs, built once.
import { Controller, Get } from '@nestjs/common';
import { PublicRoute } from '../auth/auth-http';
import { openApiDocument } from './openapi-document';

@PublicRoute()
@Controller('api/docs')
export class ApiDocsController {
  private readonly document = openApiDocument();

  @Get()
  docs(): Record<string, unknown> {
    return this.document;
  }
}
