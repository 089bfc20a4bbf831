// The Allure results writer of a run. allure-js's FileSystemWriter syncs every file to disk on its own (open,
// write, fsync, rename, unlink): for a run's 3,000 to 5,000 small files that held the main process, and with it
// vitest's messages to the workers, for seconds. The results are read once, by `allure generate` in this same
// run, and replaced by the next: they are written without the sync, in the background, and `flush` waits for
// the last of them before anything reads the folder. `onWritten` hears of each file once it is whole (the
// report's generator reads them as the checks go on).
import { mkdirSync, writeFile } from 'node:fs';
import { join } from 'node:path';
import type { TestResult, TestResultContainer } from 'allure-js-commons';
import type { Category, EnvironmentInfo } from 'allure-js-commons/sdk';
import { FileSystemWriter, stringifyEnvInfo, type Writer } from 'allure-js-commons/sdk/reporter';

export class BackgroundWriter implements Writer {
  private readonly pending = new Set<Promise<void>>();
  private failure?: string;
  /** for the rare copy from a file: allure-js's own, synchronous */
  private readonly copier: FileSystemWriter;

  constructor(
    private readonly dir: string,
    private readonly onWritten?: (name: string) => void,
  ) {
    mkdirSync(dir, { recursive: true });
    this.copier = new FileSystemWriter({ resultsDir: dir });
  }

  private write(name: string, data: string | Buffer): void {
    // the callback API: fs/promises' writeFile opens a FileHandle and awaits each step, several times the
    // main thread's work for a file of a few kB
    const done = new Promise<void>((settle) =>
      writeFile(join(this.dir, name), data, (e) => {
        if (e) this.failure ??= `${name}: ${e.message}`;
        else this.onWritten?.(name);
        this.pending.delete(done);
        settle();
      }),
    );
    this.pending.add(done);
  }

  writeResult(result: TestResult): void {
    this.write(`${result.uuid}-result.json`, JSON.stringify(result));
  }

  writeGroup(result: TestResultContainer): void {
    this.write(`${result.uuid}-container.json`, JSON.stringify(result));
  }

  writeAttachment(distFileName: string, content: Buffer): void {
    this.write(distFileName, content);
  }

  writeAttachmentFromPath(distFileName: string, from: string): void {
    this.copier.writeAttachmentFromPath(distFileName, from);
  }

  writeEnvironmentInfo(info: EnvironmentInfo): void {
    this.write('environment.properties', stringifyEnvInfo(info));
  }

  writeCategoriesDefinitions(categories: Category[]): void {
    this.write('categories.json', JSON.stringify(categories));
  }

  writeGlobals(distFileName: string, info: Parameters<Writer['writeGlobals']>[1]): void {
    this.write(distFileName, JSON.stringify(info));
  }

  /** Waits for every write so far; throws, naming the file, when one could not be written. */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
    if (this.failure) throw new Error(`could not write the Allure results in ${this.dir} (${this.failure})`);
  }
}
