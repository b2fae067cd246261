# Written by scripts/update-packaging.sh; edit the script, not this file.
class Aseecr < Formula
  desc "Command-line companion for private edge container registries"
  homepage "https://github.com/aseecr/aseecr"
  version "0.1.0"
  license any_of: ["MIT", "Apache-2.0"]

  on_macos do
    on_arm do
      url "https://github.com/aseecr/aseecr/releases/download/v0.1.0/aseecr-0.1.0-aarch64-apple-darwin.tar.gz"
      sha256 "0000000000000000000000000000000000000000000000000000000000000000"
    end
    on_intel do
      url "https://github.com/aseecr/aseecr/releases/download/v0.1.0/aseecr-0.1.0-x86_64-apple-darwin.tar.gz"
      sha256 "0000000000000000000000000000000000000000000000000000000000000000"
    end
  end

  on_linux do
    on_arm do
      url "https://github.com/aseecr/aseecr/releases/download/v0.1.0/aseecr-0.1.0-aarch64-unknown-linux-musl.tar.gz"
      sha256 "0000000000000000000000000000000000000000000000000000000000000000"
    end
    on_intel do
      url "https://github.com/aseecr/aseecr/releases/download/v0.1.0/aseecr-0.1.0-x86_64-unknown-linux-musl.tar.gz"
      sha256 "0000000000000000000000000000000000000000000000000000000000000000"
    end
  end

  def install
    bin.install "aseecr"
    man1.install "aseecr.1"
    bash_completion.install "completions/aseecr.bash" => "aseecr"
    zsh_completion.install "completions/_aseecr"
    fish_completion.install "completions/aseecr.fish"
  end

  test do
    assert_match "aseecr #{version}", shell_output("#{bin}/aseecr --version")
  end
end
