// Nearly every file of this project works with TorchSharp tensors, so its namespace and torch's members are imported once here.
global using TorchSharp;
global using static TorchSharp.torch;
