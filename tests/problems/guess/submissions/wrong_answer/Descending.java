// Wrong answer: guesses 1000, 999, 998, ... so it needs more than 12 guesses unless the secret is
// at least 989 (it is accepted on the case whose secret is 1000). The interactor rejects the 12th
// wrong guess and exits; the end of input that follows ends this program quietly (exit 0).
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;

public class Descending {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (int guess = 1000; guess >= 1; guess--) {
            System.out.println(guess);
            System.out.flush();
            String reply = in.readLine();
            if (reply == null || reply.trim().equals("=")) return;
        }
    }
}
