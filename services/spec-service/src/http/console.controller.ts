// Serves the built web console (libs/console) at /: index.html and its hashed assets, open to
// anyone like the API description (the console holds no data; every call it makes to /api/v1
// carries the user's token). Same origin as the API, so the browser guard and helmet's
// self-only CSP cover it as they cover the API.
import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PublicRoute } from '../auth/auth-http';
import { CONSOLE_CONFIG, type ConsoleConfig } from './console-config';

const ASSET_NAME = /^[A-Za-z0-9_.-]+\.(js|css|svg|png|woff2)$/;

@PublicRoute()
@Controller()
export class ConsoleController {
  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  @Get()
  index(@Res() res: Response): void {
    // Always fresh: it names the current assets.
    this.send(res, 'index.html', 'no-cache');
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    // Names carry a content hash: cached for good.
    if (!ASSET_NAME.test(file)) {
      res.status(404).json({ errors: [notFound(`/assets/${file}`)] });
      return;
    }
    this.send(res, `assets/${file}`, 'public, max-age=31536000, immutable');
  }

  private send(res: Response, file: string, cacheControl: string): void {
    const dir = this.config.dir;
    if (dir === null) {
      res.status(404).json({ errors: [{ path: '', code: 'FJC_CONSOLE_NOT_BUILT', message: 'the web console is not built: run npx nx build console' }] });
      return;
    }
    res.sendFile(file, { root: dir, headers: { 'Cache-Control': cacheControl }, dotfiles: 'deny' }, (err) => {
      if (err && !res.headersSent) {
        const missing = file === 'index.html';
        res.status(404).json({ errors: [missing ? { path: '', code: 'FJC_CONSOLE_NOT_BUILT', message: `no index.html in ${dir}: run npx nx build console` } : notFound(`/${file}`)] });
      }
    });
  }
}

function notFound(path: string) {
  return { path: '', code: 'FJC_NOT_FOUND', message: `${path} is not part of the console` };
}
