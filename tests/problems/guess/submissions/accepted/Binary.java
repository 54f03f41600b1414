// Accepted: binary search over 1..1000, flushing after every guess.
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;

public class Binary {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int low = 1, high = 1000;
        while (low <= high) {
            int guess = (low + high) / 2;
            System.out.println(guess);
            System.out.flush();
            String reply = in.readLine();
            if (reply == null || reply.trim().equals("=")) return;
            if (reply.trim().equals("<")) high = guess - 1;
            else low = guess + 1;
        }
    }
}
