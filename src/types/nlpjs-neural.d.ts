/** Types for the part of @nlpjs/neural the FAQ classifier uses (the package ships none). */
declare module '@nlpjs/neural' {
  export interface NeuralSettings {
    iterations?: number;
    errorThresh?: number;
    deltaErrorThresh?: number;
    learningRate?: number;
    momentum?: number;
    alpha?: number;
    log?: boolean;
  }
  export interface NeuralExample {
    input: Record<string, number>;
    output: Record<string, number>;
  }
  export interface NeuralStatus {
    error: number;
    deltaError: number;
    iterations: number;
  }
  export class NeuralNetwork {
    constructor(settings?: NeuralSettings);
    train(corpus: NeuralExample[]): NeuralStatus;
    /** Activation per class (≥ 0); the same object is reused by the next call. */
    run(input: Record<string, number>): Record<string, number> | undefined;
    /** The trained network: settings that differ from the defaults, feature and class names, per class its weights then its bias. */
    toJSON(): { settings: NeuralSettings; features?: string[]; intents?: string[]; perceptrons?: number[][] };
  }
}
