/** One `LogOutputChannel` "Azure Tenant Link": requests (never a token), errors with their stacks. */
import * as vscode from 'vscode';
import type { Logger } from '../azure/http';

export class Log implements Logger {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('Azure Tenant Link', { log: true });
  }

  trace(message: string): void {
    this.channel.trace(message);
  }
  debug(message: string): void {
    this.channel.debug(message);
  }
  info(message: string): void {
    this.channel.info(message);
  }
  warn(message: string): void {
    this.channel.warn(message);
  }
  error(message: string | Error): void {
    this.channel.error(message instanceof Error ? (message.stack ?? message.message) : message);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
